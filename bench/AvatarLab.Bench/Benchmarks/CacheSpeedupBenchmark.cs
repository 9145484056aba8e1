using AvatarLab.Bench.Reporting;
using AvatarLab.Inference.Sampling;

namespace AvatarLab.Bench.Benchmarks;

/// <summary>
/// Benchmark 2: Avatar Forcing with the KV cache against the same sampler recomputing a
/// clip-long window per block, on the same inputs.
/// </summary>
internal sealed class CacheSpeedupBenchmark : IBenchmark
{
    /// <summary>
    /// A cached block feeds context + block frames (12 of 50 with the reference window) through
    /// the network instead of the whole clip (the block's last pass, at t = 0, also refreshes the
    /// cache); attention over the cached keys is the only part that does not shrink. 3x is a
    /// conservative floor for that.
    /// </summary>
    public const double SpeedupTarget = 3;

    public string Id => "cache-speedup";
    public string Title => "Cached vs recomputed Avatar Forcing";

    public BenchmarkResult Run(BenchContext context, TextWriter progress)
    {
        var scale = context.Scale;
        var options = BenchContext.DefaultOptions with { Attention = AttentionCapture.Off };
        var cached = context.CreateDriver(options);
        var recomputed = context.CreateDriver(options with { Kind = SamplerKind.Recomputed });
        cached.Skip(1 + scale.WarmupBlocks);
        recomputed.Skip(1 + scale.WarmupBlocks);

        // Interleaved block by block, so that anything else the machine does in the meantime
        // falls on both samplers alike.
        double cachedMs = 0, recomputedMs = 0;
        for (var i = 0; i < scale.CompareBlocks; i++)
        {
            cachedMs += cached.Next().ComputeMs;
            recomputedMs += recomputed.Next().ComputeMs;
        }

        cachedMs /= scale.CompareBlocks;
        recomputedMs /= scale.CompareBlocks;
        var setup = $"attention capture Off, NFE 10, same features and seed, {scale.CompareBlocks} blocks each after the first clip " +
            $"and {scale.WarmupBlocks} warm-up blocks, interleaved";
        return new BenchmarkResult(Id, Title, setup,
        [
            new("cached: mean per block", cachedMs, Units.Milliseconds),
            new($"recomputed ({context.Window.Clip}-frame window): mean per block", recomputedMs, Units.Milliseconds),
            new("recomputed / cached", recomputedMs / cachedMs, Units.Ratio, Target.AtLeast(SpeedupTarget, Target.Project)),
        ]);
    }
}
