using Plotly.Blazor;
using Plotly.Blazor.LayoutLib;

namespace AvatarLab.Server.Components.Timeline;

/// <summary>How a chart's axis maps to the timeline, for the playhead and for seeking (timeline.js).</summary>
public enum TimelineAxis
{
    /// <summary>x is seconds.</summary>
    Time,

    /// <summary>x is the block index.</summary>
    Block,

    /// <summary>x is an absolute frame.</summary>
    Frame,

    /// <summary>y is an absolute frame (attention's query rows).</summary>
    QueryFrame,
}

/// <summary>One chart's figure as Plotly draws it: its element id, traces and layout (timeline.js draws it from TimelineFigures).</summary>
public sealed record TimelineFigure(string Id, IList<ITrace> Data, Plotly.Blazor.Layout Layout);

/// <summary>A chart the timeline drives: its element id and axis.</summary>
public sealed record TimelineChart(string Id, TimelineAxis Axis, bool BlockBand = false)
{
    public object ToJs() => new { id = Id, axis = char.ToLowerInvariant(Axis.ToString()[0]) + Axis.ToString()[1..], blockBand = BlockBand };
}

/// <summary>Shared pieces of the timeline charts: layouts with a playhead, decimation, colours.</summary>
public static class ChartKit
{
    /// <summary>The playhead's colour (timeline.js draws it; css/app.css .tl-playhead), also for late-block markers.</summary>
    public const string PlayheadColor = "#e53935";

    public static Config Config() => new() { Responsive = true, DisplayLogo = false };

    public static Margin Margin(int left = 55, int bottom = 40, int top = 10, int right = 10) =>
        new() { L = left, R = right, T = top, B = bottom };

    public static Plotly.Blazor.Layout Layout(string xTitle, string yTitle, IList<Shape> shapes, bool dark, int? height = null) => new()
    {
        Margin = Margin(),
        XAxis = [new XAxis { Title = new Plotly.Blazor.LayoutLib.XAxisLib.Title { Text = xTitle } }],
        YAxis = [new YAxis { Title = new Plotly.Blazor.LayoutLib.YAxisLib.Title { Text = yTitle } }],
        Shapes = shapes,
        PaperBgColor = "rgba(0,0,0,0)",
        PlotBgColor = "rgba(0,0,0,0)",
        Font = new Font { Color = dark ? "#ddd" : "#333" },
        Height = height,
        ShowLegend = true,
        Legend = [new Legend { Orientation = Plotly.Blazor.LayoutLib.LegendLib.OrientationEnum.H, Y = -0.25m }],
    };

    /// <summary>
    /// The layout of a block view (the playhead block's schedule and attention heatmaps, redrawn
    /// at every block change): upright tick labels and at most <paramref name="ticks"/> of them on
    /// the frame axes, since plotly.js measures each new label (a block's frame numbers are new
    /// ones) and tries other angles when they crowd. Their colour scale is drawn beside them in
    /// HTML (ColorScale), not by plotly.js (see <see cref="BlockHeatmap"/>).
    /// </summary>
    public static Plotly.Blazor.Layout BlockLayout(string xTitle, string yTitle, bool dark, bool frameRows, int ticks = 6)
    {
        var layout = Layout(xTitle, yTitle, [], dark);
        layout.XAxis[0].TickAngle = 0;
        layout.XAxis[0].NTicks = ticks;
        layout.YAxis[0].TickAngle = 0;
        if (frameRows)
        {
            layout.YAxis[0].NTicks = ticks;
        }

        return layout;
    }

    /// <summary>
    /// A block view's heatmap: plotly.js' colour bar is off on the page (it is redrawn with its
    /// labels at every block change: a third of a block change's drawing, bench/README.md) and
    /// ColorScale shows the scale instead; the PNG export draws it (timeline.js' downloadPng),
    /// with the colour bar settings given here.
    /// </summary>
    public static Plotly.Blazor.Traces.HeatMap BlockHeatmap(Plotly.Blazor.Traces.HeatMap heatmap)
    {
        heatmap.ShowScale = false;
        return heatmap;
    }

    /// <summary>Plotly's Viridis, the block views' colour scale, as a CSS gradient from 0 (bottom) up (ColorScale).</summary>
    public const string ViridisCss = "linear-gradient(to top, #440154, #482878, #3e4989, #31688e, #26828e, #1f9e89, #35b779, #6ece58, #b5de2b, #fde725)";

    /// <summary>
    /// Indices of at most about <paramref name="maxPoints"/> samples of y that keep each bucket's
    /// minimum and maximum in time order, so that peaks survive thinning. NaN samples are skipped.
    /// </summary>
    public static int[] MinMaxIndices(IReadOnlyList<double> y, int maxPoints)
    {
        var n = y.Count;
        var bucket = Math.Max(1, (int)Math.Ceiling(n / (maxPoints / 2.0)));
        if (bucket == 1)
        {
            return Enumerable.Range(0, n).ToArray();
        }

        var keep = new List<int>(maxPoints + 2);
        for (var start = 0; start < n; start += bucket)
        {
            var end = Math.Min(n, start + bucket);
            int lo = -1, hi = -1;
            for (var i = start; i < end; i++)
            {
                if (double.IsNaN(y[i]))
                {
                    continue;
                }

                if (lo < 0 || y[i] < y[lo])
                {
                    lo = i;
                }

                if (hi < 0 || y[i] > y[hi])
                {
                    hi = i;
                }
            }

            if (lo < 0)
            {
                keep.Add(start);
                continue;
            }

            keep.Add(Math.Min(lo, hi));
            if (lo != hi)
            {
                keep.Add(Math.Max(lo, hi));
            }
        }

        return [.. keep];
    }

    /// <summary>x / y lists for a trace (NaN becomes null: a gap in the line).</summary>
    public static (List<object> X, List<object> Y) Points(IReadOnlyList<double> x, IReadOnlyList<double> y, int maxPoints)
    {
        var keep = MinMaxIndices(y, maxPoints);
        return (keep.Select(i => (object)Math.Round(x[i], 4)).ToList(),
            keep.Select(i => double.IsNaN(y[i]) ? null! : (object)Math.Round(y[i], 5)).ToList());
    }
}
