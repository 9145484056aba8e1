using System.Diagnostics;
using AvatarLab.Bench.Reporting;
using AvatarLab.Bench.Statistics;

namespace AvatarLab.Bench.Benchmarks;

/// <summary>
/// Benchmark 5: an hour-long stream (6 minutes with <c>--quick</c>): per-block time and memory
/// must not grow with the session's length (a dashboard session must stream for an hour;
/// the official code breaks after about 41 s).
/// </summary>
internal sealed class LongStreamBenchmark : IBenchmark
{
    /// <summary>10% slack for thermal and scheduling drift over an hour on a shared machine.</summary>
    private const double SlowdownTarget = 1.1;

    /// <summary>Far below a leak of even one block's telemetry per block over an hour, far above GC noise.</summary>
    private const double GrowthTargetMb = 5;

    private const double BytesPerMb = 1_000_000;

    public string Id => "long-stream";
    public string Title => "Long stream: per-block time and memory over the session";

    public BenchmarkResult Run(BenchContext context, TextWriter progress)
    {
        var scale = context.Scale;
        var total = context.BlocksIn(scale.LongStreamSeconds);
        var warm = 1 + scale.WarmupBlocks;
        if (total < warm + 10)
        {
            throw new InvalidOperationException($"a {scale.LongStreamSeconds} s stream has only {total} blocks");
        }

        // Allocated before the first memory sample so that the results do not count as growth.
        var times = new double[total];
        var driver = context.CreateDriver(BenchContext.DefaultOptions);
        for (var i = 0; i < warm; i++)
        {
            times[i] = driver.Next().ComputeMs;
        }

        var (heapStart, workingSetStart) = SampleMemory();
        var wall = Stopwatch.StartNew();
        var reportEvery = Math.Max(1, total / 10);
        for (var i = warm; i < total; i++)
        {
            times[i] = driver.Next().ComputeMs;
            if ((i + 1) % reportEvery == 0)
            {
                progress.WriteLine($"   {i + 1}/{total} blocks, {wall.Elapsed.TotalSeconds:0} s");
            }
        }

        wall.Stop();
        var (heapEnd, workingSetEnd) = SampleMemory();

        // Medians of the first and last tenth of the measured blocks: robust to the odd GC or
        // scheduler pause, which would otherwise decide the ratio on a noisy machine.
        var measured = times.AsSpan(warm);
        var tenth = Math.Max(1, measured.Length / 10);
        var first = Summary.Median(measured[..tenth].ToArray());
        var last = Summary.Median(measured[^tenth..].ToArray());
        var media = (total - 1L) * context.Window.Block + context.Window.Clip;
        var setup = $"default options (attention FinalStep), {total} blocks = {media / (double)context.Fps / 60:0.#} min of media; " +
            $"per-block medians over the first and last {tenth} blocks after the first clip and {scale.WarmupBlocks} warm-up blocks; " +
            "memory after a forced full GC at both ends";
        return new BenchmarkResult(Id, Title, setup,
        [
            new("blocks", total, Units.Count),
            new("wall time of the measured blocks", wall.Elapsed.TotalSeconds, Units.Seconds),
            new("first 10%: median per block", first, Units.Milliseconds),
            new("last 10%: median per block", last, Units.Milliseconds),
            new("last / first per-block time", last / first, Units.Ratio, Target.AtMost(SlowdownTarget, Target.Project)),
            new("managed heap at start", heapStart / BytesPerMb, Units.Megabytes),
            new("managed heap growth", (heapEnd - heapStart) / BytesPerMb, Units.Megabytes, Target.AtMost(GrowthTargetMb, Target.Project)),
            new("working set at start", workingSetStart / BytesPerMb, Units.Megabytes),
            new("working set growth", (workingSetEnd - workingSetStart) / BytesPerMb, Units.Megabytes,
                Target.AtMost(GrowthTargetMb, Target.Project)),
        ]);
    }

    private static (long Heap, long WorkingSet) SampleMemory()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var heap = GC.GetTotalMemory(false);
        using var process = Process.GetCurrentProcess();
        return (heap, process.WorkingSet64);
    }
}
