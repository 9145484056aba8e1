using System.Text.Json.Serialization;

namespace AvatarLab.Bench.Reporting;

/// <summary>How a measurement compares with its target.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<Verdict>))]
internal enum Verdict
{
    /// <summary>No target: reported for context.</summary>
    Info,
    Pass,
    Miss,
}
