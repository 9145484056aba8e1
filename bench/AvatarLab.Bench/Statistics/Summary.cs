namespace AvatarLab.Bench.Statistics;

/// <summary>Order statistics of a sample (milliseconds, bytes, ...).</summary>
internal sealed record Summary(int Count, double Mean, double P50, double P95, double P99, double Max)
{
    public static Summary Of(IReadOnlyCollection<double> values)
    {
        if (values.Count == 0)
        {
            throw new ArgumentException("no values to summarize", nameof(values));
        }

        var sorted = values.Order().ToArray();
        return new Summary(sorted.Length, sorted.Average(), Percentile(sorted, 50), Percentile(sorted, 95),
            Percentile(sorted, 99), sorted[^1]);
    }

    /// <summary>
    /// The <paramref name="percent"/>th percentile of ascending <paramref name="sorted"/>, linear
    /// between the two nearest ranks (numpy's default, so numbers match the Python tooling).
    /// </summary>
    public static double Percentile(IReadOnlyList<double> sorted, double percent)
    {
        var rank = percent / 100 * (sorted.Count - 1);
        var below = (int)Math.Floor(rank);
        var above = Math.Min(below + 1, sorted.Count - 1);
        return sorted[below] + (rank - below) * (sorted[above] - sorted[below]);
    }

    public static double Median(IEnumerable<double> values) => Percentile(values.Order().ToArray(), 50);
}
