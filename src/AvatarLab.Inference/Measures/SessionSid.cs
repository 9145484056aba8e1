namespace AvatarLab.Inference.Measures;

/// <summary>
/// SID fitted on the session itself (the dashboard has no ground-truth reference): each
/// channel standardised over the session's finite values, k-means fitted on the standardised
/// frames, frames assigned, Shannon index of the cluster histogram. metrics.py fits the
/// centres on ground truth instead (fit_sid_reference); with the session as its own ground
/// truth the two are the same computation (golden_measures.session_sid).
/// </summary>
internal static class SessionSid
{
    /// <summary>A channel whose std is below this is divided by 1, not by its std (metrics.SID_MIN_STD).</summary>
    public const double MinStd = 1e-6;

    /// <summary>SID of the group's channels of <paramref name="motion"/>.</summary>
    public static MeasureValue Compute(FrameMatrix motion, ChannelGroup group, IReadOnlyList<string> channelNames, int seed, int restarts)
    {
        var standardised = Standardise(motion.Select(group.Channels), out var constant);
        if (constant is { } c)
        {
            return MeasureValue.Missing($"{channelNames[group.Channels[c]]} has no finite value");
        }

        var finiteFrames = Enumerable.Range(0, standardised.Frames).Count(standardised.RowIsFinite);
        if (finiteFrames < group.Clusters)
        {
            return MeasureValue.Missing($"only {finiteFrames} frames with finite {group.Name} values; SID needs at least k = {group.Clusters}");
        }

        var centres = KMeans.Fit(standardised, group.Clusters, seed, restarts);
        return MeasureValue.Of(Shannon(KMeans.Assign(standardised, centres), group.Clusters));
    }

    /// <summary>
    /// Shannon diversity -sum p ln p of the histogram of labels 0..k-1 (metrics.sid): 0 for one
    /// cluster, ln k for all used equally. Negative labels (unassigned frames) are skipped; NaN
    /// when none is left.
    /// </summary>
    public static double Shannon(ReadOnlySpan<int> labels, int k)
    {
        var counts = new int[k];
        var total = 0;
        foreach (var label in labels)
        {
            if (label >= 0)
            {
                counts[label]++;
                total++;
            }
        }

        if (total == 0)
        {
            return double.NaN;
        }

        var sum = 0.0;
        foreach (var count in counts)
        {
            if (count > 0)
            {
                var p = (double)count / total;
                sum += p * Math.Log(p);
            }
        }

        return -sum + 0.0; // + 0.0 turns -0.0 into 0.0, as metrics.sid
    }

    /// <summary>
    /// (x - mean) / std per channel over its finite values, population std, below <see cref="MinStd"/> replaced by 1.
    /// <paramref name="emptyChannel"/> is the first channel with no finite value, if any.
    /// </summary>
    public static FrameMatrix Standardise(FrameMatrix motion, out int? emptyChannel)
    {
        emptyChannel = null;
        var values = new double[motion.Values.Length];
        for (var c = 0; c < motion.Channels; c++)
        {
            var column = motion.Column(c);
            var (mean, count) = MotionStatistics.FiniteMean(column);
            if (count == 0)
            {
                emptyChannel ??= c;
                continue;
            }

            var std = Math.Sqrt(MotionStatistics.FiniteVariance(column));
            std = std < MinStd ? 1.0 : std;
            for (var f = 0; f < column.Length; f++)
            {
                values[f * motion.Channels + c] = (column[f] - mean) / std;
            }
        }

        return new FrameMatrix(values, motion.Channels);
    }
}
