using System.Globalization;
using AvatarLab.Inference.Motion;

namespace AvatarLab.Inference.Measures;

/// <summary>Variance per channel group, non-finite values and values out of range (metrics.variance, conversation_measures).</summary>
internal static class MotionStatistics
{
    /// <summary>A value counts as out of range only beyond its range +- this (metrics.RANGE_TOLERANCE).</summary>
    public const double RangeTolerance = 0.05;

    // The bounds are metrics.py's float64 numbers (-0.6 - 0.05), made from the float table in
    // FaceParams through its shortest round-trip decimal ("-0.6"). A plain cast would give
    // -0.6000000238 - 0.05; no float32 value happens to fall between the two, but equal bounds
    // need no such argument.
    private static readonly (double Low, double High)[] _bounds =
    [
        .. FaceParams.Ranges.Select(r => (AsWritten(r.Min) - RangeTolerance, AsWritten(r.Max) + RangeTolerance)),
    ];

    /// <summary>
    /// Population variance over time of each channel of the group over its finite values,
    /// averaged over the group's channels, in channel units.
    /// </summary>
    public static MeasureValue Variance(FrameMatrix motion, ChannelGroup group, IReadOnlyList<string> channelNames)
    {
        if (motion.Frames == 0)
        {
            return MeasureValue.Missing("the avatar track has no frames");
        }

        var sum = 0.0;
        foreach (var c in group.Channels)
        {
            var variance = FiniteVariance(motion.Column(c));
            if (double.IsNaN(variance))
            {
                return MeasureValue.Missing($"{channelNames[c]} has no finite value");
            }

            sum += variance;
        }

        return MeasureValue.Of(sum / group.Channels.Length);
    }

    /// <summary>Population variance (ddof 0) of the finite values (numpy.nanvar); NaN when there is none.</summary>
    public static double FiniteVariance(ReadOnlySpan<double> values)
    {
        var (mean, count) = FiniteMean(values);
        if (count == 0)
        {
            return double.NaN;
        }

        var sum = 0.0;
        foreach (var v in values)
        {
            if (double.IsFinite(v))
            {
                sum += (v - mean) * (v - mean);
            }
        }

        return sum / count;
    }

    /// <summary>Mean of the finite values and how many there are (mean NaN when none).</summary>
    public static (double Mean, int Count) FiniteMean(ReadOnlySpan<double> values)
    {
        var (sum, count) = (0.0, 0);
        foreach (var v in values)
        {
            if (double.IsFinite(v))
            {
                (sum, count) = (sum + v, count + 1);
            }
        }

        return (count == 0 ? double.NaN : sum / count, count);
    }

    /// <summary>NaN and infinite values.</summary>
    public static int NonFiniteCount(FrameMatrix motion) => motion.Values.Count(v => !double.IsFinite(v));

    /// <summary>Fraction of the finite face-params values outside their range widened by <see cref="RangeTolerance"/>.</summary>
    public static MeasureValue OutOfRangeFraction(FrameMatrix motion)
    {
        if (motion.Channels != FaceParams.ChannelCount)
        {
            throw new ArgumentException($"face-params has {FaceParams.ChannelCount} channels, got {motion.Channels}", nameof(motion));
        }

        var (finite, outside) = (0, 0);
        for (var f = 0; f < motion.Frames; f++)
        {
            for (var c = 0; c < motion.Channels; c++)
            {
                var v = motion[f, c];
                if (double.IsFinite(v))
                {
                    finite++;
                    outside += v < _bounds[c].Low || v > _bounds[c].High ? 1 : 0;
                }
            }
        }

        return finite == 0
            ? MeasureValue.Missing("the avatar track has no finite value")
            : MeasureValue.Of((double)outside / finite);
    }

    private static double AsWritten(float value) =>
        double.Parse(value.ToString("R", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
}
