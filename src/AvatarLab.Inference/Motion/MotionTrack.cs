using System.Globalization;

namespace AvatarLab.Inference.Motion;

/// <summary>
/// A motion curve set: <see cref="Frames"/> x <see cref="Channels"/> values, row-major, at
/// <see cref="Fps"/>; frame f is at time f / fps. User tracks and model latents in face-params/1
/// use <see cref="FaceParams.Names"/>; docs/motion-tracks.md describes the file formats.
/// </summary>
public sealed class MotionTrack
{
    /// <summary>Wraps values without copying them.</summary>
    /// <param name="values">Row-major [frames, channelNames.Count].</param>
    /// <param name="channelNames">One name per channel, in column order.</param>
    /// <param name="fps">Frames per second, positive.</param>
    public MotionTrack(float[] values, IReadOnlyList<string> channelNames, double fps)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(channelNames);
        if (channelNames.Count == 0)
        {
            throw new ArgumentException("a track needs at least one channel", nameof(channelNames));
        }

        if (!double.IsFinite(fps) || fps <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(fps), fps, "fps must be positive");
        }

        if (values.Length % channelNames.Count != 0)
        {
            throw new ArgumentException($"{values.Length} values are not whole frames of {channelNames.Count} channels", nameof(values));
        }

        Values = values;
        ChannelNames = channelNames;
        Fps = fps;
    }

    /// <summary>The values, row-major [<see cref="Frames"/>, <see cref="Channels"/>].</summary>
    public float[] Values { get; }

    /// <summary>Channel names in column order.</summary>
    public IReadOnlyList<string> ChannelNames { get; }

    /// <summary>Values per frame.</summary>
    public int Channels => ChannelNames.Count;

    /// <summary>Number of frames.</summary>
    public int Frames => Values.Length / Channels;

    /// <summary>Frames per second.</summary>
    public double Fps { get; }

    /// <summary>Length of the track: frames / fps.</summary>
    public TimeSpan Duration => TimeSpan.FromSeconds(Frames / Fps);

    /// <summary>The value of one channel in one frame.</summary>
    public float this[int frame, int channel] => Values[frame * Channels + channel];

    /// <summary>The values of one frame.</summary>
    public ReadOnlySpan<float> Frame(int frame) => Values.AsSpan(frame * Channels, Channels);

    /// <summary>
    /// An all-zero track: the dropped user-motion condition, used when there is no user video
    /// or track. Channels are named <see cref="FaceParams.Names"/> when there are 12 of them and
    /// no names are given, else <c>c0</c>, <c>c1</c>, ...
    /// </summary>
    public static MotionTrack Zeros(int frames, int channels, double fps, IReadOnlyList<string>? channelNames = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(frames);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(channels);
        channelNames ??= channels == FaceParams.ChannelCount
            ? FaceParams.Names
            : [.. Enumerable.Range(0, channels).Select(c => "c" + c.ToString(CultureInfo.InvariantCulture))];
        if (channelNames.Count != channels)
        {
            throw new ArgumentException($"{channelNames.Count} names for {channels} channels", nameof(channelNames));
        }

        return new MotionTrack(new float[frames * channels], channelNames, fps);
    }

    /// <summary>
    /// The track at another frame rate by linear interpolation between neighbouring frames: the
    /// result has round(frames * fps / Fps) frames covering the same duration, frame j at source
    /// position j * Fps / fps; positions past the last source frame hold its value. The same
    /// rate returns this track.
    /// </summary>
    public MotionTrack Resample(double fps)
    {
        if (!double.IsFinite(fps) || fps <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(fps), fps, "fps must be positive");
        }

        if (fps == Fps)
        {
            return this;
        }

        var frames = (int)Math.Round(Frames * fps / Fps);
        var values = new float[frames * Channels];
        var last = Frames - 1;
        for (var j = 0; j < frames; j++)
        {
            var position = Math.Min(j * Fps / fps, last);
            var i0 = (int)Math.Floor(position);
            var i1 = Math.Min(i0 + 1, last);
            var w = position - i0;
            var a = Frame(i0);
            var b = Frame(i1);
            var row = values.AsSpan(j * Channels, Channels);
            for (var c = 0; c < Channels; c++)
            {
                row[c] = (float)(a[c] + w * (b[c] - a[c]));
            }
        }

        return new MotionTrack(values, ChannelNames, fps);
    }
}
