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
    public void BlockViews_ColourScales_ShowTheFixedTopOrWaitForTheBlock()
    {
        // Act
        var schedule = Render<ScheduleCharts>(p => p.Add(c => c.Timeline, Timeline));
        var attention = Render<AttentionCharts>(p => p.Add(c => c.Timeline, Timeline));

        // Assert: t's scale tops at 1000; attention's at the block's largest weight, which timeline.js writes ("–" until then).
        Assert.Equal("1000", schedule.Find($"[data-tl-scale={ScheduleCharts.BlockChartId}] [data-tl-scale-max]").TextContent);
        Assert.Equal("–", attention.Find($"[data-tl-scale={AttentionCharts.SelfId}] [data-tl-scale-max]").TextContent);
        Assert.Equal("–", attention.Find($"[data-tl-scale={AttentionCharts.CrossId}] [data-tl-scale-max]").TextContent);
        Assert.Equal(["0.35", "0.000123", "1000", "0.5"], new[] { 0.3501, 0.0001234, 999.6, 0.5 }.Select(ColorScale.Format));
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
    public void BlockViews_Block_ShowsItsWholeCallContextFramesClean()
    {
        // Arrange
        var view = Timeline.ReadBlock(3);

        // Act
        var payload = BlockViews.Build(Timeline, view, new AttentionSelection());

        // Assert: x = the call's absolute frames, context frames at t = 0 in every pass, new frames noisy at pass 1.
        var heat = payload.Schedule;
        var block = view.Block;
        Assert.Equal(3, payload.Block);
        Assert.Equal(Enumerable.Range(0, block.CallFrames).Select(i => (double)(block.CallStart + i)), heat.X);
        Assert.Equal(Enumerable.Range(1, block.Steps).Select(s => (double)s), heat.Y);
        var context = (int)(block.FirstFrame - block.CallStart);
        Assert.True(context > 0);
        foreach (var row in heat.Z)
        {
            Assert.All(row.Take(context), t => Assert.Equal(0.0, t));
        }

        Assert.All(heat.Z[0].Skip(context), t => Assert.True(t > 900));
    }

    [Fact]
    public void BlockViews_AtAFrame_DrawTheChosenMeanAndReadTheStrongestKey()
    {
        // Arrange
        var view = Timeline.ReadBlock(4);
        var frame = view.Block.FirstFrame + 2;

        // Act
        var payload = BlockViews.Build(Timeline, view, new AttentionSelection());

        // Assert: the last captured pass, mean over layers, heads and branches, keys labelled with absolute frames.
        var a = view.Attention[^1];
        Assert.Equal(a.Step, payload.Step);
        var expected = a.SelfMatrix(null, null, null);
        var heat = payload.Self!;
        var row = (int)(frame - view.Block.CallStart);
        var weights = heat.Z[row];
        Assert.Equal(a.SelfKeys, weights.Length);
        for (var k = 0; k < a.SelfKeys; k++)
        {
            Assert.Equal(Math.Round(expected[row * a.SelfKeys + k], 4), weights[k]);
            Assert.Equal((double)a.SelfKeyFrame(k), heat.X[k]);
        }

        var best = Enumerable.Range(0, a.SelfKeys).MaxBy(k => expected[row * a.SelfKeys + k]);
        var readout = payload.Frames.Single(f => f.Frame == frame);
        Assert.Contains($"Frame {frame}, pass {a.Step + 1}: strongest self-attention on frame {a.SelfKeyFrame(best)}", readout.Attention);
        Assert.Equal(a.CrossKeys, payload.Cross!.Z[row].Length);
        Assert.Equal(view.Block.NewFrames, payload.Frames.Count);
        Assert.StartsWith($"Frame {frame} ({frame / 25.0:0.00} s) · block 4: frames {view.Block.FirstFrame}–", readout.Block);
        Assert.StartsWith($"Noise level t of frame {frame} by pass: 1000 → ", readout.Schedule);
    }

    [Fact]
    public void BlockViews_OfAChosenLayerHeadAndBranch_MatchTheExportAndFallBackToACapturedPass()
    {
        // Arrange: the fixture captured every pass; pass 1 of layer 2, head 1, user branch.
        var view = Timeline.ReadBlock(2);

        // Act
        var chosen = BlockViews.Build(Timeline, view, new AttentionSelection(Step: 0, Layer: 1, Head: 0, Branch: 2));
        var missing = BlockViews.Build(Timeline, view, new AttentionSelection(Step: 99));

        // Assert: the same weights as the export of that selection; an uncaptured pass shows the block's last.
        var export = SessionTimeline.AttentionTable(view, AttentionKind.Cross, 0, 1, 0, 2);
        var flat = chosen.Cross!.Z.SelectMany(r => r).ToArray();
        Assert.Equal(export.Column("weight").Select(w => (double?)Math.Round(w, 4)), flat);
        Assert.Equal(0, chosen.Step);
        Assert.Equal(view.Attention[^1].Step, missing.Step);
        Assert.Throws<ArgumentOutOfRangeException>(() => BlockViews.Build(Timeline, view, new AttentionSelection(Layer: 9)));
    }

    [Fact]
    public void TimelineFigures_Json_HoldsEveryChartAsPlotlyDrawsItWithoutTickLabelMeasuring()
    {
        // Act
        using var doc = System.Text.Json.JsonDocument.Parse(TimelineFigures.Json(Timeline));

        // Assert: every chart of the page, plotly.js names (lower case, unset properties left out).
        var figures = doc.RootElement.GetProperty("figures");
        Assert.Equal(
            [ScheduleCharts.SessionChartId, ScheduleCharts.BlockChartId, AttentionCharts.SelfId, AttentionCharts.CrossId, AttentionCharts.OverTimeId,
                LatencyCharts.HistId, LatencyCharts.BarsId],
            figures.EnumerateObject().Select(f => f.Name));
        var schedule = figures.GetProperty(ScheduleCharts.SessionChartId);
        var trace = schedule.GetProperty("data")[0];
        Assert.Equal("heatmap", trace.GetProperty("type").GetString());
        Assert.Equal("allow", trace.GetProperty("colorbar").GetProperty("ticklabeloverflow").GetString());
        Assert.Equal(Timeline.Summary.Steps, trace.GetProperty("z").GetArrayLength());
        Assert.Equal(Math.Round(Timeline.Summary.Schedule[0], 1), trace.GetProperty("z")[0][0].GetDouble());
        Assert.Equal("allow", schedule.GetProperty("layout").GetProperty("xaxis").GetProperty("ticklabeloverflow").GetString());
        Assert.False(trace.TryGetProperty("name", out _));
        Assert.Equal(0, figures.GetProperty(ScheduleCharts.BlockChartId).GetProperty("data")[0].GetProperty("x").GetArrayLength());
        // The block views, redrawn at every block change: no plotly.js colour bar (ColorScale beside them), upright labels.
        foreach (var block in new[] { ScheduleCharts.BlockChartId, AttentionCharts.SelfId, AttentionCharts.CrossId })
        {
            var figure = figures.GetProperty(block);
            Assert.False(figure.GetProperty("data")[0].GetProperty("showscale").GetBoolean());
            Assert.Equal(0, figure.GetProperty("layout").GetProperty("xaxis").GetProperty("tickangle").GetDouble());
        }

        Assert.False(trace.TryGetProperty("showscale", out _));
        Assert.Equal("lines", figures.GetProperty(AttentionCharts.OverTimeId).GetProperty("data")[0].GetProperty("mode").GetString());
        Assert.True(doc.RootElement.GetProperty("config").GetProperty("responsive").GetBoolean());
    }

    [Fact]
    public void AttentionCharts_Selectors_OfferEveryCapturedPassAndTellTheChoice()
    {
        // Arrange
        AttentionSelection? told = null;
        var cut = Render<AttentionCharts>(p => p.Add(c => c.Timeline, Timeline).Add(c => c.SelectionChanged, (AttentionSelection s) => told = s));

        // Assert: the last pass first, means elsewhere; the over-time chart has its eight lines.
        Assert.Equal(new AttentionSelection(Timeline.Summary.Steps - 1), cut.Instance.Selection);
        Assert.Equal(8, cut.Instance.OverTime.Count);
        Assert.Equal((3, 3), Timeline.AttentionShape);
        Assert.Null(told);
        Assert.Contains("step=" + (Timeline.Summary.Steps - 1), cut.Find("[data-testid=export-self-attention-csv]").GetAttribute("href"));
        Assert.Equal("block", cut.Find("[data-testid=export-self-attention-csv]").GetAttribute("data-tl-export"));
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
