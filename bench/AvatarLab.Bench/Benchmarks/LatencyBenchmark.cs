using AvatarLab.Bench.Reporting;
using AvatarLab.Bench.Statistics;
using AvatarLab.Bench.Streams;
using AvatarLab.Inference.Sampling;

namespace AvatarLab.Bench.Benchmarks;

/// <summary>
/// Benchmark 3: latency from input to a block's first frame, input wait included, of Avatar
/// Forcing against the windowed (INFP*-style) baseline on the same input arriving in real time.
/// </summary>
internal sealed class LatencyBenchmark : IBenchmark
{
    /// <summary>The paper's figure: Avatar Forcing reacts 6.8x faster than its INFP* baseline (3.4 s vs 0.5 s).</summary>
    public const double SpeedupTarget = 6.8;

    /// <summary>The paper's INFP* reproduction: 75-frame (3 s) windows with 10 frames of context.</summary>
    private const int BaselineWindow = 75;

    private const int BaselineContext = 10;

    /// <summary>Windows run before measuring the baseline: the first (no context) and two with context, to plan both call shapes.</summary>
    private const int BaselineWarmupWindows = 3;

    public string Id => "latency";
    public string Title => "Input-to-frame latency, Avatar Forcing vs windowed baseline";

    public BenchmarkResult Run(BenchContext context, TextWriter progress)
    {
        var scale = context.Scale;
        var frames = (long)Math.Round(scale.LatencyStreamSeconds * context.Fps);
        var forcingOptions = BenchContext.DefaultOptions with { Attention = AttentionCapture.Off };
        var baselineOptions = forcingOptions with
        {
            Kind = SamplerKind.WindowedBaseline,
            BaselineWindowFrames = BaselineWindow,
            BaselineContextFrames = BaselineContext,
        };

        // Warm-up streams, then fresh streams measured from their first block: the virtual clock
        // needs every block of the stream from frame 0.
        context.CreateDriver(forcingOptions).Skip(1 + scale.WarmupBlocks);
        context.CreateDriver(baselineOptions).Skip(BaselineWarmupWindows);
        progress.WriteLine($"   {scale.LatencyStreamSeconds:0} s of input through each sampler");
        var forcing = Measure(context.CreateDriver(forcingOptions), frames);
        var baseline = Measure(context.CreateDriver(baselineOptions), frames);

        // The first block of each (the first clip; the first window, without context) is a
        // start-up cost, reported on its own; the steady state is every later block.
        var forcingLatency = RealTimeArrival.FirstFrameLatenciesMs(forcing, context.Fps);
        var baselineLatency = RealTimeArrival.FirstFrameLatenciesMs(baseline, context.Fps);
        var af = Summary.Of(forcingLatency[1..]);
        var bl = Summary.Of(baselineLatency[1..]);
        var setup = $"{scale.LatencyStreamSeconds:0} s of input (frame f arrives at f/{context.Fps} s), attention capture Off, NFE 10; " +
            $"baseline windows {BaselineWindow} + {BaselineContext} context; steady state = blocks after the first " +
            $"({forcing.Count - 1} and {baseline.Count - 1}); compute = measured Next() time of each block";
        return new BenchmarkResult(Id, Title, setup,
        [
            new("Avatar Forcing: mean first-frame latency", af.Mean, Units.Milliseconds),
            new("Avatar Forcing: p95 first-frame latency", af.P95, Units.Milliseconds),
            new("Avatar Forcing: mean compute per block", forcing.Skip(1).Average(b => b.ComputeMs), Units.Milliseconds),
            new("Avatar Forcing: first clip latency", forcingLatency[0], Units.Milliseconds),
            new("baseline: mean first-frame latency", bl.Mean, Units.Milliseconds),
            new("baseline: p95 first-frame latency", bl.P95, Units.Milliseconds),
            new("baseline: mean compute per window", baseline.Skip(1).Average(b => b.ComputeMs), Units.Milliseconds),
            new("baseline: first window latency", baselineLatency[0], Units.Milliseconds),
            new("baseline / Avatar Forcing (mean)", bl.Mean / af.Mean, Units.Ratio, Target.AtLeast(SpeedupTarget, Target.Paper)),
            new("baseline / Avatar Forcing (p95)", bl.P95 / af.P95, Units.Ratio),
        ]);
    }

    /// <summary>Every block of a stream whose input lies within the first <paramref name="frames"/> frames.</summary>
    private static List<TimedBlock> Measure(StreamDriver driver, long frames)
    {
        var blocks = new List<TimedBlock>();
        while (driver.Sampler.NextBlockNeeds <= frames)
        {
            blocks.Add(driver.Next());
        }

        if (blocks.Count < 2)
        {
            throw new InvalidOperationException($"{frames} frames of input give fewer than 2 blocks; lengthen the latency stream");
        }

        return blocks;
    }
}
