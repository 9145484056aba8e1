namespace AvatarLab.Bench.Reporting;

/// <summary>A bound a measurement is judged against.</summary>
/// <param name="Op"><c>"&lt;="</c> or <c>"&gt;="</c>.</param>
/// <param name="Threshold">The bound, in the measurement's unit.</param>
/// <param name="Source">Where the number comes from (see bench/README.md, "Targets").</param>
internal sealed record Target(string Op, double Threshold, string Source)
{
    /// <summary>The project's performance targets for the live dashboard.</summary>
    public const string Project = "AvatarLab";

    /// <summary>The Avatar Forcing paper (arXiv 2601.00664).</summary>
    public const string Paper = "paper";

    public static Target AtMost(double threshold, string source) => new("<=", threshold, source);

    public static Target AtLeast(double threshold, string source) => new(">=", threshold, source);

    /// <summary>NaN (a ratio of nothing) never meets a target.</summary>
    public bool IsMetBy(double value) => Op == "<=" ? value <= Threshold : value >= Threshold;
}
