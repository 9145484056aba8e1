using AvatarLab.Inference.Telemetry;

namespace AvatarLab.Server.Timeline;

/// <summary>
/// Latency of a session's blocks (metrics.md, "Latency"): percentiles of block compute, the
/// real-time factor, and which blocks would be late if the run had been live. An offline run
/// is replayed as a live one: block k's inputs are complete when its last frame and the
/// lookahead have arrived in real time, it starts once those are in and block k - 1 is done,
/// and takes its measured compute time; playout starts when block 0 is ready, so frame f is
/// due at ready(0) + f / fps. A block is late when it is ready after its first frame is due.
/// A live session's own late-frame count (telemetry lateFrames) also marks its block late.
/// </summary>
public sealed record LatencyStats(
    double P50Ms,
    double P95Ms,
    double P99Ms,
    double MaxMs,
    double MeanMs,
    double RealTimeFactor,
    IReadOnlyList<double> ReadySeconds,
    IReadOnlyList<double> DeadlineSeconds,
    IReadOnlyList<bool> Late)
{
    public int LateBlocks => Late.Count(l => l);

    public static LatencyStats Of(IReadOnlyList<TimelineBlock> blocks, int fps, int lookaheadFrames)
    {
        var compute = blocks.Select(b => b.ComputeMs).ToArray();
        var sorted = compute.Order().ToArray();
        var ready = new double[blocks.Count];
        var deadline = new double[blocks.Count];
        var late = new bool[blocks.Count];
        for (var k = 0; k < blocks.Count; k++)
        {
            var b = blocks[k];
            var inputsIn = (double)(b.FirstFrame + b.NewFrames + lookaheadFrames) / fps;
            ready[k] = Math.Max(inputsIn, k == 0 ? 0 : ready[k - 1]) + b.ComputeMs / 1000.0;
            deadline[k] = ready[0] + (double)b.FirstFrame / fps;
            late[k] = ready[k] > deadline[k] + 1e-9 || b.LateFrames > 0;
        }

        var media = blocks.Sum(b => (double)b.NewFrames) / fps;
        var total = compute.Sum() / 1000.0;
        return new LatencyStats(Percentile(sorted, 0.50), Percentile(sorted, 0.95), Percentile(sorted, 0.99),
            sorted.Length == 0 ? double.NaN : sorted[^1], compute.Length == 0 ? double.NaN : compute.Average(),
            total > 0 ? media / total : double.NaN, ready, deadline, late);
    }

    /// <summary>Linear interpolation between closest ranks (numpy's default), on sorted values.</summary>
    public static double Percentile(IReadOnlyList<double> sorted, double q)
    {
        if (sorted.Count == 0)
        {
            return double.NaN;
        }

        var pos = q * (sorted.Count - 1);
        var lo = (int)Math.Floor(pos);
        var hi = Math.Min(lo + 1, sorted.Count - 1);
        return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    }
}
