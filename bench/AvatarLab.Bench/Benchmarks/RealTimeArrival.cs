using AvatarLab.Bench.Streams;

namespace AvatarLab.Bench.Benchmarks;

/// <summary>
/// Replays measured blocks against input arriving in real time on a virtual clock (no sleeping,
/// so the numbers do not depend on timer resolution or on how long the benchmark takes).
/// </summary>
/// <remarks>
/// Input frame f spans [f / fps, (f + 1) / fps): its first sample arrives at f / fps and it is
/// complete at (f + 1) / fps. A block starts when the last input frame it needs (lookahead
/// included) is complete and the previous block has finished; it finishes its measured compute
/// time later. Its first frame's latency is that finish time minus the arrival of the first
/// sample of the block's first frame: input wait + queueing + compute (metrics.md, "input wait:
/// first sample of the block arriving -> block complete"). A 10-frame block thus waits 400 ms
/// and a 75-frame window 3.0 s, as the paper counts them.
/// </remarks>
internal static class RealTimeArrival
{
    /// <summary>First-frame latency of each block, in milliseconds, in stream order.</summary>
    public static double[] FirstFrameLatenciesMs(IReadOnlyList<TimedBlock> blocks, int fps)
    {
        var frameMs = 1000.0 / fps;
        var latencies = new double[blocks.Count];
        var previousFinish = double.NegativeInfinity;
        for (var i = 0; i < blocks.Count; i++)
        {
            var b = blocks[i];
            var inputComplete = b.InputFramesNeeded * frameMs;
            var start = Math.Max(inputComplete, previousFinish);
            var finish = start + b.ComputeMs;
            latencies[i] = finish - b.FirstFrame * frameMs;
            previousFinish = finish;
        }

        return latencies;
    }
}
