namespace AvatarLab.Bench.Reporting;

/// <summary>One measured number, with its target where it has one.</summary>
internal sealed record Measurement(string Metric, double Value, string Unit, Target? Target = null)
{
    public Verdict Verdict => Target is null ? Verdict.Info : Target.IsMetBy(Value) ? Verdict.Pass : Verdict.Miss;
}

/// <summary>Units the table knows how to format.</summary>
internal static class Units
{
    public const string Milliseconds = "ms";
    public const string Ratio = "x";
    public const string Bytes = "B";

    /// <summary>10^6 bytes.</summary>
    public const string Megabytes = "MB";

    public const string Seconds = "s";
    public const string Count = "";
}
