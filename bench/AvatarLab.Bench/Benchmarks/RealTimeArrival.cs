using AvatarLab.Bench.Streams;

namespace AvatarLab.Bench.Benchmarks;

/// <summary>
/// Replays measured blocks against input arriving in real time on a virtual clock (no sleeping,
/// so the numbers do not depend on timer resolution or on how long the benchmark takes).
/// </summary>
/// <remarks>
/// Input frame f arrives at f / fps seconds. A block starts when the last input frame it needs
/// (lookahead included) has arrived and the previous block has finished; it finishes its
/// measured compute time later. Its first frame's latency is that finish time minus the arrival
/// of the block's first input frame: input wait + queueing + compute.
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
            var inputComplete = (b.InputFramesNeeded - 1) * frameMs;
            var start = Math.Max(inputComplete, previousFinish);
            var finish = start + b.ComputeMs;
            latencies[i] = finish - b.FirstFrame * frameMs;
            previousFinish = finish;
        }

        return latencies;
    }
}
