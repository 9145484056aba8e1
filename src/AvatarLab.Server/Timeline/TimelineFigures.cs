using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization;
using AvatarLab.Server.Components.Charts;
using AvatarLab.Server.Components.Timeline;

namespace AvatarLab.Server.Timeline;

/// <summary>
/// Every figure of a session's timeline as the JSON timeline.js draws (GET
/// api/sessions/{id}/timeline/figures): {"config": {...}, "figures": {"chart-id": {"data": [...],
/// "layout": {...}}, ...}}, the block views with empty heatmaps that the block payloads fill.
/// Built by the chart components' own figure builders, serialized once per loaded timeline and
/// kept as bytes, so a second opening costs no work; the browser caches it under the
/// timeline's content key. Sending it over HTTP rather than through the circuit (Plotly.Blazor's
/// newPlot, a figure per chart through JS interop, serialized twice) is what let the 10-minute
/// session open within 2 s (bench/README.md).
/// </summary>
public static class TimelineFigures
{
    // As Plotly.Blazor serializes its model for plotly.js: the names come from the model's
    // attributes, and unset properties are left out so that plotly.js applies its defaults.
    private static readonly JsonSerializerOptions _options = new()
    {
        PropertyNamingPolicy = null,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    private static readonly ConditionalWeakTable<SessionTimeline, Lazy<byte[]>> _built = [];

    /// <summary>The figures in the order they are drawn (top of the page first).</summary>
    public static IReadOnlyList<TimelineFigure> Of(SessionTimeline timeline)
    {
        var figures = new List<TimelineFigure> { ScheduleCharts.SessionFigure(timeline), ScheduleCharts.BlockFigure() };
        if (timeline.Summary.HasAttention)
        {
            figures.Add(AttentionCharts.SelfFigure());
            figures.Add(AttentionCharts.CrossFigure());
        }

        figures.Add(AttentionCharts.OverTimeFigure(timeline));
        figures.Add(LatencyCharts.HistogramFigure(timeline));
        figures.Add(LatencyCharts.BarsFigure(timeline));
        if (timeline.Motion is { } motion)
        {
            figures.Add(MotionCurvesChart.Figure(motion, timeline.UserMotion, timeline.Loudness.AvatarDb, timeline.Loudness.UserDb));
        }

        foreach (var figure in figures)
        {
            AllowTickLabelOverflow(figure.Layout);
            foreach (var heat in figure.Data.OfType<Plotly.Blazor.Traces.HeatMap>())
            {
                heat.ColorBar ??= new();
                heat.ColorBar.TickLabelOverflow = Plotly.Blazor.Traces.HeatMapLib.ColorBarLib.TickLabelOverflowEnum.Allow;
            }
        }

        return figures;
    }

    /// <summary>
    /// plotly.js otherwise measures every tick label (getBoundingClientRect) to hide those that
    /// would overflow the chart, on each redraw (axes and heatmap colour bars alike): a large part
    /// of a block change's drawing time was there, and with their margins these charts have no
    /// label that overflows.
    /// </summary>
    public static void AllowTickLabelOverflow(Plotly.Blazor.Layout layout)
    {
        foreach (var x in layout.XAxis ?? [])
        {
            x.TickLabelOverflow = Plotly.Blazor.LayoutLib.XAxisLib.TickLabelOverflowEnum.Allow;
        }

        foreach (var y in layout.YAxis ?? [])
        {
            y.TickLabelOverflow = Plotly.Blazor.LayoutLib.YAxisLib.TickLabelOverflowEnum.Allow;
        }
    }

    /// <summary>The UTF-8 JSON of <see cref="Of"/>, built on first use and kept with the timeline.</summary>
    public static byte[] Json(SessionTimeline timeline) =>
        _built.GetValue(timeline, t => new Lazy<byte[]>(() => Serialize(Of(t)), LazyThreadSafetyMode.ExecutionAndPublication)).Value;

    public static byte[] Serialize(IEnumerable<TimelineFigure> figures)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            w.WriteStartObject();
            w.WriteStartObject("config");
            w.WriteBoolean("responsive", true);
            w.WriteBoolean("displaylogo", false);
            w.WriteEndObject();
            w.WriteStartObject("figures");
            foreach (var figure in figures)
            {
                w.WriteStartObject(figure.Id);
                w.WriteStartArray("data");
                foreach (var trace in figure.Data)
                {
                    JsonSerializer.Serialize(w, trace, trace.GetType(), _options);
                }

                w.WriteEndArray();
                w.WritePropertyName("layout");
                JsonSerializer.Serialize(w, figure.Layout, _options);
                w.WriteEndObject();
            }

            w.WriteEndObject();
            w.WriteEndObject();
        }

        return stream.ToArray();
    }
}
