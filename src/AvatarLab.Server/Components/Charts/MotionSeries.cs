using AvatarLab.Inference.Motion;

namespace AvatarLab.Server.Components.Charts;

/// <summary>A motion track ready for charts: channels by name, frames at a rate.</summary>
public sealed class MotionSeries(IReadOnlyList<string> channels, float[] values, double fps)
{
    public IReadOnlyList<string> Channels { get; } = channels;
    public double Fps { get; } = fps;
    public int Frames => Channels.Count == 0 ? 0 : values.Length / Channels.Count;

    public static MotionSeries From(MotionTrack track) => new(track.ChannelNames, track.Values, track.Fps);

    public float this[int frame, int channel] => values[frame * Channels.Count + channel];

    /// <summary>[Frames, Channels], row-major.</summary>
    public float[] Values => values;

    /// <summary>
    /// Time and value lists with at most about <paramref name="maxPoints"/> points: min and max of
    /// each bucket in time order, so peaks (a blink, a nod) survive the thinning.
    /// </summary>
    public (List<object> X, List<object> Y) Decimated(int channel, int maxPoints)
    {
        var x = new List<object>();
        var y = new List<object>();
        var frames = Frames;
        var bucket = Math.Max(1, (int)Math.Ceiling(frames / (maxPoints / 2.0)));
        for (var start = 0; start < frames; start += bucket)
        {
            var end = Math.Min(frames, start + bucket);
            if (bucket == 1)
            {
                x.Add(Math.Round(start / Fps, 4));
                y.Add(this[start, channel]);
                continue;
            }

            int lo = start, hi = start;
            for (var f = start; f < end; f++)
            {
                if (this[f, channel] < this[lo, channel])
                {
                    lo = f;
                }

                if (this[f, channel] > this[hi, channel])
                {
                    hi = f;
                }
            }

            foreach (var f in lo <= hi ? new[] { lo, hi } : [hi, lo])
            {
                x.Add(Math.Round(f / Fps, 4));
                y.Add(this[f, channel]);
            }
        }

        return (x, y);
    }
}
