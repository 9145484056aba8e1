namespace AvatarLab.Inference.Measures;

/// <summary>A motion track in double, row-major [<see cref="Frames"/>, <see cref="Channels"/>] (metrics.py computes in float64).</summary>
internal sealed class FrameMatrix
{
    public FrameMatrix(double[] values, int channels)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(channels);
        if (values.Length % channels != 0)
        {
            throw new ArgumentException($"{values.Length} values are not whole frames of {channels} channels", nameof(values));
        }

        Values = values;
        Channels = channels;
    }

    public double[] Values { get; }

    public int Channels { get; }

    public int Frames => Values.Length / Channels;

    public double this[int frame, int channel] => Values[frame * Channels + channel];

    /// <summary>Widens float values to double.</summary>
    public static FrameMatrix FromFloats(ReadOnlySpan<float> values, int channels)
    {
        var widened = new double[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            widened[i] = values[i];
        }

        return new FrameMatrix(widened, channels);
    }

    public ReadOnlySpan<double> Row(int frame) => Values.AsSpan(frame * Channels, Channels);

    /// <summary>One channel over the first <paramref name="frames"/> frames (all when null).</summary>
    public double[] Column(int channel, int? frames = null)
    {
        var column = new double[frames ?? Frames];
        for (var f = 0; f < column.Length; f++)
        {
            column[f] = this[f, channel];
        }

        return column;
    }

    /// <summary>The given channels, in that order, as a new matrix.</summary>
    public FrameMatrix Select(IReadOnlyList<int> channels)
    {
        var values = new double[Frames * channels.Count];
        for (var f = 0; f < Frames; f++)
        {
            for (var j = 0; j < channels.Count; j++)
            {
                values[f * channels.Count + j] = this[f, channels[j]];
            }
        }

        return new FrameMatrix(values, channels.Count);
    }

    /// <summary>The given frames, in that order, as a new matrix.</summary>
    public FrameMatrix SelectRows(IReadOnlyList<int> frames)
    {
        var values = new double[frames.Count * Channels];
        for (var i = 0; i < frames.Count; i++)
        {
            Row(frames[i]).CopyTo(values.AsSpan(i * Channels, Channels));
        }

        return new FrameMatrix(values, Channels);
    }

    /// <summary>Whether every value of a frame is finite.</summary>
    public bool RowIsFinite(int frame)
    {
        foreach (var v in Row(frame))
        {
            if (!double.IsFinite(v))
            {
                return false;
            }
        }

        return true;
    }
}
