using System.Globalization;
using AvatarLab.Server.Components.Charts;

namespace AvatarLab.Server.Timeline;

/// <summary>Which attention the block views show: a captured pass (null = the block's last) and a layer, head and branch (null = mean).</summary>
public sealed record AttentionSelection(int? Step = null, int? Layer = null, int? Head = null, int? Branch = null);

/// <summary>A heatmap's x, y and z (z[row][column]; null = no value): all a block change sends to a chart (Plotly.restyle).</summary>
public sealed record HeatmapData(IReadOnlyList<double> X, IReadOnlyList<double> Y, IReadOnlyList<double?[]> Z);

/// <summary>The readouts of one frame of the block, as the session page shows them.</summary>
public sealed record FrameReadout(long Frame, string Block, string Schedule, string? Attention, IReadOnlyList<string>? Motion, IReadOnlyList<string>? User);

/// <summary>
/// Everything the session page's block views show for one block and attention selection: the
/// block's call schedule, its self- and cross-attention matrices and the readouts of each of its
/// frames. The browser fetches it (GET api/sessions/{id}/timeline/blocks/{block}, docs/api.md),
/// keeps it and redraws from it, so that moving the playhead inside a block costs no request and
/// moving to another block one small one.
/// </summary>
public sealed record BlockPayload(
    int Block,
    long FirstFrame,
    int NewFrames,
    long CallStart,
    HeatmapData Schedule,
    int? Step,
    HeatmapData? Self,
    HeatmapData? Cross,
    IReadOnlyList<FrameReadout> Frames);

/// <summary>Builds <see cref="BlockPayload"/>s: the numbers are those of the export API's block charts, rounded as the charts draw them.</summary>
public static class BlockViews
{
    private static readonly CultureInfo _invariant = CultureInfo.InvariantCulture;

    public static BlockPayload Build(SessionTimeline timeline, BlockView view, AttentionSelection selection)
    {
        var b = view.Block;
        var table = SessionTimeline.BlockScheduleTable(view);
        var schedule = new HeatmapData(table.Column("frame"), Enumerable.Range(1, b.Steps).Select(s => (double)s).ToArray(),
            Enumerable.Range(0, b.Steps).Select(s => table.Column($"t_pass{s + 1}").Select(v => double.IsNaN(v) ? (double?)null : Math.Round(v, 1)).ToArray()).ToArray());

        int? step = null;
        HeatmapData? self = null, cross = null;
        if (view.Attention.Count > 0)
        {
            var a = selection.Step is { } wanted && view.Attention.Any(x => x.Step == wanted) ? view.AttentionAt(wanted) : view.Attention[^1];
            step = a.Step;
            double[] queries = Enumerable.Range(0, a.Frames).Select(q => (double)a.QueryFrame(q)).ToArray();
            if (a.HasSelf)
            {
                self = Matrix(a.SelfMatrix(selection.Layer, selection.Head, selection.Branch), a.SelfKeys,
                    Enumerable.Range(0, a.SelfKeys).Select(k => (double)a.SelfKeyFrame(k)).ToArray(), queries);
            }

            if (a.HasCross)
            {
                cross = Matrix(a.CrossMatrix(selection.Layer, selection.Head, selection.Branch), a.CrossKeys,
                    Enumerable.Range(0, a.CrossKeys).Select(k => (double)a.CrossKeyFrame(k)).ToArray(), queries);
            }
        }

        var frames = Enumerable.Range(0, b.NewFrames).Select(i => b.FirstFrame + i).Where(f => f < timeline.Frames)
            .Select(f => new FrameReadout(f, BlockReadout(timeline, view, f), ScheduleReadout(timeline, f),
                step is { } p ? AttentionReadout(timeline, view, self, p, selection.Branch, f) : null,
                Values(timeline.Motion, f), Values(timeline.UserMotion, f)))
            .ToList();
        return new BlockPayload(b.Index, b.FirstFrame, b.NewFrames, b.CallStart, schedule, step, self, cross, frames);
    }

    /// <summary>"Frame 309 (12.36 s) · block 26: frames ..., call from frame ... · compute ... · late if live: no".</summary>
    public static string BlockReadout(SessionTimeline timeline, BlockView view, long frame)
    {
        var fb = view.Block;
        string Ms(double v) => v.ToString("0.0", _invariant);
        return $"Frame {frame} ({(frame / (double)timeline.Fps).ToString("0.00", _invariant)} s) · block {fb.Index}: frames {fb.FirstFrame}–{fb.FirstFrame + fb.NewFrames - 1}, "
            + $"call from frame {fb.CallStart} ({fb.FirstFrame - fb.CallStart} context) · compute {Ms(fb.ComputeMs)} ms "
            + $"(features {Ms(fb.Timings.Features)}, denoising {Ms(fb.DenoiseMs)}, cache refresh {Ms(fb.Timings.CacheRefresh)}, "
            + $"render {Ms(fb.Timings.Render)}) · late if live: {(timeline.Latency.Late[fb.Index] ? "yes" : "no")}";
    }

    /// <summary>"Noise level t of frame 309 by pass: 1000 → 875 → ... → 0".</summary>
    public static string ScheduleReadout(SessionTimeline timeline, long frame)
    {
        var summary = timeline.Summary;
        var passes = Enumerable.Range(0, summary.Steps).Select(p => summary.Schedule[frame * summary.Steps + p])
            .Select(t => float.IsNaN(t) ? "–" : t.ToString("0", _invariant));
        return $"Noise level t of frame {frame} by pass: {string.Join(" → ", passes)}";
    }

    /// <summary>
    /// The strongest self-attention key of the frame's row as the heatmap draws it, and the
    /// frame's shares of self-attention on the second before and older (the chosen branch, or
    /// the mean of the three).
    /// </summary>
    public static string? AttentionReadout(SessionTimeline timeline, BlockView view, HeatmapData? self, int step, int? branch, long frame)
    {
        var row = (int)(frame - view.Block.CallStart);
        if (self is null || row < 0 || row >= self.Z.Count)
        {
            return null;
        }

        var weights = self.Z[row];
        var best = 0;
        for (var k = 1; k < weights.Length; k++)
        {
            if (weights[k] > weights[best])
            {
                best = k;
            }
        }

        string Share(float[] shares)
        {
            var values = Enumerable.Range(0, 3).Select(b => shares[frame * 3 + b]).ToArray();
            var v = branch is { } only ? values[only] : values.Average();
            return float.IsNaN(v) ? "n/a" : $"{v:P0}";
        }

        return $"Frame {frame}, pass {step + 1}: strongest self-attention on frame {self.X[best]:0} ({(weights[best] ?? 0).ToString("0.000", _invariant)}); "
            + $"{Share(timeline.Summary.RecentSelfShare)} on the second before, {Share(timeline.Summary.OlderSelfShare)} older.";
    }

    private static IReadOnlyList<string>? Values(MotionSeries? series, long frame) => series is null ? null
        : Enumerable.Range(0, series.Channels.Count)
            .Select(c => frame < series.Frames ? series[(int)frame, c].ToString("0.000", _invariant) : "").ToArray();

    private static HeatmapData Matrix(float[] weights, int keys, double[] x, double[] y) =>
        new(x, y, Enumerable.Range(0, y.Length).Select(q => Enumerable.Range(0, keys).Select(k => (double?)Math.Round((double)weights[q * keys + k], 4)).ToArray()).ToArray());
}
