namespace AvatarLab.Inference.Measures;

/// <summary>
/// Pearson correlation with metrics.py's conventions: pairs with a non-finite side are
/// dropped; a constant side (max == min, an exact test both languages agree on) or fewer than
/// 2 pairs gives 0 ("no linear relation"), never NaN; the result is clipped to [-1, 1].
/// </summary>
public static class Correlation
{
    /// <summary>PCC of two equally long series (metrics.pcc).</summary>
    public static double Pcc(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        if (x.Length != y.Length)
        {
            throw new ArgumentException($"pcc needs equal lengths, got {x.Length} and {y.Length}", nameof(y));
        }

        int n = 0;
        double sumX = 0, sumY = 0;
        double minX = double.PositiveInfinity, maxX = double.NegativeInfinity;
        double minY = double.PositiveInfinity, maxY = double.NegativeInfinity;
        for (var i = 0; i < x.Length; i++)
        {
            if (double.IsFinite(x[i]) && double.IsFinite(y[i]))
            {
                n++;
                sumX += x[i];
                sumY += y[i];
                (minX, maxX) = (Math.Min(minX, x[i]), Math.Max(maxX, x[i]));
                (minY, maxY) = (Math.Min(minY, y[i]), Math.Max(maxY, y[i]));
            }
        }

        if (n < 2 || maxX == minX || maxY == minY)
        {
            return 0.0;
        }

        double meanX = sumX / n, meanY = sumY / n;
        double sxy = 0, sxx = 0, syy = 0;
        for (var i = 0; i < x.Length; i++)
        {
            if (double.IsFinite(x[i]) && double.IsFinite(y[i]))
            {
                double dx = x[i] - meanX, dy = y[i] - meanY;
                sxy += dx * dy;
                sxx += dx * dx;
                syy += dy * dy;
            }
        }

        return Math.Clamp(sxy / Math.Sqrt(sxx * syy), -1.0, 1.0);
    }

    /// <summary>
    /// PCC of x[t] with y[t + lag] for lag = 0..<paramref name="maxLag"/>, y responding after x
    /// (metrics.lagged_pcc): lag L correlates x[0 .. T-L) with y[L .. T). NaN at lags whose overlap
    /// T - L is shorter than <paramref name="minOverlap"/> frames.
    /// </summary>
    public static double[] Lagged(ReadOnlySpan<double> x, ReadOnlySpan<double> y, int maxLag, int minOverlap)
    {
        if (x.Length != y.Length)
        {
            throw new ArgumentException($"lagged pcc needs equal lengths, got {x.Length} and {y.Length}", nameof(y));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(maxLag);
        var n = x.Length;
        var curve = new double[maxLag + 1];
        for (var lag = 0; lag <= maxLag; lag++)
        {
            curve[lag] = n - lag >= minOverlap ? Pcc(x[..(n - lag)], y[lag..]) : double.NaN;
        }

        return curve;
    }

    /// <summary>Index of the largest value, the first one on ties (the shortest lag); null when all are NaN.</summary>
    public static int? BestLag(ReadOnlySpan<double> curve)
    {
        int? best = null;
        for (var i = 0; i < curve.Length; i++)
        {
            if (!double.IsNaN(curve[i]) && (best is null || curve[i] > curve[best.Value]))
            {
                best = i;
            }
        }

        return best;
    }
}
