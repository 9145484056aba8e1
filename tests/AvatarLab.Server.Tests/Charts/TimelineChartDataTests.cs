using AvatarLab.Server.Components.Timeline;
using AvatarLab.Server.Timeline;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;
using Plotly.Blazor.Traces;

namespace AvatarLab.Server.Tests.Charts;

/// <summary>bUnit: the data the timeline's chart components hand to Plotly, against the telemetry they come from.</summary>
public sealed class TimelineChartDataTests : BunitContext, IClassFixture<RecordedTimelineFixture>, IAsyncLifetime
{
    private readonly RecordedTimeline _recorded;

    public TimelineChartDataTests(RecordedTimelineFixture fixture)
    {
        _recorded = fixture.Recorded;
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
    }

    private SessionTimeline Timeline => _recorded.Timeline;

    public Task InitializeAsync() => Task.CompletedTask;

    // MudBlazor's services dispose only asynchronously.
    Task IAsyncLifetime.DisposeAsync() => DisposeAsync().AsTask();

    [Fact]
    public void ScheduleCharts_SessionHeatmap_HoldsEveryFramesTimestepByPass()
    {
        // Act
        var cut = Render<ScheduleCharts>(p => p.Add(c => c.Timeline, Timeline));

        // Assert: one row per pass, one column per frame (the session is short), values from the summary.
        var heat = cut.Instance.SessionHeatmap;
        var summary = Timeline.Summary;
        Assert.Equal(summary.Steps, heat.Z.Count);
        Assert.Equal(summary.Frames, ((double?[])heat.Z[0]).Length);
        Assert.Equal(summary.Frames, cut.Instance.SessionColumns);
        var lastFrame = summary.Frames - 1;
        for (var s = 0; s < summary.Steps; s++)
        {
            Assert.Equal(Math.Round(summary.Schedule[lastFrame * summary.Steps + s], 1), ((double?[])heat.Z[s])[lastFrame]);
        }

        Assert.Equal(Math.Round(lastFrame / 25.0, 4), (double)heat.X[lastFrame]);
        Assert.Equal(1000.0, ((double?[])heat.Z[0])[lastFrame]);
        Assert.Equal(0.0, ((double?[])heat.Z[summary.Steps - 1])[lastFrame]);
    }

    [Fact]
    public void ScheduleTable_LongerThanTheLimit_KeepsEveryKthFrame()
    {
        // Act
        var table = Timeline.ScheduleTable(maxFrames: 7);

        // Assert
        var stride = (int)Math.Ceiling(Timeline.Frames / 7.0);
        Assert.True(table.Rows <= 7);
        Assert.Equal(Enumerable.Range(0, table.Rows).Select(i => (double)(i * stride)), table.Column("frame"));
    }

    [Fact]
    public async Task ScheduleCharts_Block_ShowsItsWholeCallContextFramesClean()
    {
        // Arrange
        var cut = Render<ScheduleCharts>(p => p.Add(c => c.Timeline, Timeline));
        var view = Timeline.ReadBlock(3);

        // Act
        await cut.InvokeAsync(() => cut.Instance.ShowAsync(view));

        // Assert: x = the call's absolute frames, context frames at t = 0 in every pass, new frames noisy at pass 1.
        var heat = cut.Instance.BlockHeatmap!;
        var block = view.Block;
        Assert.Equal(Enumerable.Range(0, block.CallFrames).Select(i => (object)(double)(block.CallStart + i)), heat.X);
        var context = (int)(block.FirstFrame - block.CallStart);
        Assert.True(context > 0);
        foreach (var row in heat.Z.Cast<double?[]>())
        {
            Assert.All(row.Take(context), t => Assert.Equal(0.0, t));
        }

        Assert.All(((double?[])heat.Z[0]).Skip(context), t => Assert.True(t > 900));
        Assert.Equal("3", cut.Find("[data-testid=block-schedule-chart]").GetAttribute("data-block"));
    }

    [Fact]
    public async Task AttentionCharts_AtAFrame_DrawTheChosenMeanAndReadTheStrongestKey()
    {
        // Arrange
        var cut = Render<AttentionCharts>(p => p.Add(c => c.Timeline, Timeline));
        var view = Timeline.ReadBlock(4);
        var frame = view.Block.FirstFrame + 2;

        // Act
        await cut.InvokeAsync(() => cut.Instance.ShowAsync(view, frame));

        // Assert: the last captured pass, mean over layers, heads and branches, keys labelled with absolute frames.
        var a = view.Attention[^1];
        var expected = a.SelfMatrix(null, null, null);
        var heat = cut.Instance.SelfHeatmap!;
        var row = (int)(frame - view.Block.CallStart);
        var weights = (double[])heat.Z[row];
        Assert.Equal(a.SelfKeys, weights.Length);
        for (var k = 0; k < a.SelfKeys; k++)
        {
            Assert.Equal(Math.Round(expected[row * a.SelfKeys + k], 4), weights[k]);
            Assert.Equal((double)a.SelfKeyFrame(k), heat.X[k]);
        }

        var best = Enumerable.Range(0, a.SelfKeys).MaxBy(k => expected[row * a.SelfKeys + k]);
        Assert.Equal(a.SelfKeyFrame(best), cut.Instance.StrongestKey!.Value.KeyFrame);
        Assert.Contains($"strongest self-attention on frame {a.SelfKeyFrame(best)}", cut.Find("[data-testid=attention-readout]").TextContent);
        Assert.Equal(a.CrossKeys, ((double[])cut.Instance.CrossHeatmap!.Z[row]).Length);
        Assert.Equal(8, cut.Instance.OverTime.Count);
    }

    [Fact]
    public void LatencyCharts_StackEveryStagePerBlockAndMarkLateBlocks()
    {
        // Act
        var cut = Render<LatencyCharts>(p => p.Add(c => c.Timeline, Timeline));

        // Assert
        var blocks = Timeline.Summary.Blocks;
        var denoise = (Bar)cut.Instance.Bars[1];
        Assert.Equal(blocks.Select(b => (object)Math.Round(b.DenoiseMs, 3)), denoise.Y);
        var sorted = blocks.Select(b => b.ComputeMs).Order().ToList();
        Assert.Equal(LatencyStats.Percentile(sorted, 0.95), cut.Instance.Stats.P95Ms);
        Assert.Equal(sorted[^1], cut.Instance.Stats.MaxMs);
        var late = (Scatter)cut.Instance.Bars[^1];
        Assert.Equal(cut.Instance.Stats.LateBlocks, late.X.Count);
        Assert.Equal(blocks.Count, ((Histogram)cut.Instance.Histogram[0]).X.Count);
        Assert.Equal($"{cut.Instance.Stats.P95Ms:0.0} ms", cut.Find("[data-testid=latency-p95]").TextContent);
    }
}

/// <summary>One recorded telemetry file shared by the chart tests (it takes a few seconds to make).</summary>
public sealed class RecordedTimelineFixture : IDisposable
{
    public RecordedTimeline Recorded { get; } = new();

    public void Dispose() => Recorded.Dispose();
}
