using System.Globalization;

namespace AvatarLab.Bench.Reporting;

/// <summary>Numbers with their unit as the table shows them.</summary>
internal static class ValueFormat
{
    private static readonly CultureInfo _invariant = CultureInfo.InvariantCulture;

    public static string Measured(double value, string unit) => unit switch
    {
        Units.Milliseconds => Join(value.ToString("F2", _invariant), unit),
        Units.Ratio => value.ToString("F1", _invariant) + "x",
        Units.Bytes => Join(value.ToString("N0", _invariant), unit),
        Units.Megabytes => Join(value.ToString("F2", _invariant), unit),
        Units.Seconds => Join(value.ToString("F1", _invariant), unit),
        _ => Join(value.ToString("N0", _invariant), unit),
    };

    /// <summary>Thresholds are round numbers: no trailing zeros ("&lt;= 15 ms", "&gt;= 6.8x").</summary>
    public static string Threshold(Target target, string unit)
    {
        var number = unit == Units.Bytes
            ? target.Threshold.ToString("N0", _invariant)
            : target.Threshold.ToString("0.##", _invariant);
        return $"{target.Op} {(unit == Units.Ratio ? number + "x" : Join(number, unit))}";
    }

    private static string Join(string number, string unit) => unit.Length == 0 ? number : $"{number} {unit}";
}
