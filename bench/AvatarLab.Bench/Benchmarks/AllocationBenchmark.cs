using AvatarLab.Bench.Reporting;

namespace AvatarLab.Bench.Benchmarks;

/// <summary>
/// Benchmark 4: managed bytes allocated per block early and late in a stream. A constant amount
/// (the block's telemetry arrays) is by design; an amount that grows with the stream's length
/// is a leak or an unbounded buffer.
/// </summary>
internal sealed class AllocationBenchmark : IBenchmark
{
    /// <summary>10% for run-to-run noise (attention snapshot sizes, JIT), plus 1 KB for a stray small object.</summary>
    private const double GrowthFactor = 1.1;

    private const double GrowthSlackBytes = 1024;

    public string Id => "allocations";
    public string Title => "Steady-state managed allocations per block";

    public BenchmarkResult Run(BenchContext context, TextWriter progress)
    {
        var scale = context.Scale;
        var early = scale.AllocationEarlyStart;
        var late = scale.AllocationLateStart;
        var count = scale.AllocationBlocks;
        progress.WriteLine($"   {late + count} blocks");

        var driver = context.CreateDriver(BenchContext.DefaultOptions);
        long earlyNext = 0, earlyPush = 0, lateNext = 0, latePush = 0;
        for (var i = 0; i < late + count; i++)
        {
            var block = driver.Next();
            if (i >= early && i < early + count)
            {
                earlyNext += block.NextAllocatedBytes;
                earlyPush += block.PushAllocatedBytes;
            }
            else if (i >= late)
            {
                lateNext += block.NextAllocatedBytes;
                latePush += block.PushAllocatedBytes;
            }
        }

        var earlyPerBlock = earlyNext / (double)count;
        var latePerBlock = lateNext / (double)count;
        var setup = $"default options (attention FinalStep), GC.GetAllocatedBytesForCurrentThread() around each Next() " +
            $"and around pushing its input; blocks {early}..{early + count - 1} vs {late}..{late + count - 1}";
        return new BenchmarkResult(Id, Title, setup,
        [
            new($"Next(): bytes per block, blocks {early}..{early + count - 1}", earlyPerBlock, Units.Bytes),
            new($"Next(): bytes per block, blocks {late}..{late + count - 1}", latePerBlock, Units.Bytes,
                Target.AtMost(earlyPerBlock * GrowthFactor + GrowthSlackBytes, Target.Project)),
            new($"Push(): bytes per block, blocks {early}..{early + count - 1}", earlyPush / (double)count, Units.Bytes),
            new($"Push(): bytes per block, blocks {late}..{late + count - 1}", latePush / (double)count, Units.Bytes),
        ]);
    }
}
