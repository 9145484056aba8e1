using AvatarLab.Server.Timeline;

namespace AvatarLab.Server.Apis;

/// <summary>The data behind every chart of a session's timeline, as CSV or JSON (docs/api.md).</summary>
public static class TimelineApi
{
    public static readonly IReadOnlyList<string> Charts =
        ["schedule", "attention-over-time", "latency", "motion", "block-schedule", "self-attention", "cross-attention"];

    public static IEndpointRouteBuilder MapTimelineApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/sessions").RequireAuthorization().WithTags("Sessions");
        group.MapGet("/{id:guid}/timeline/figures", FiguresAsync).WithName("TimelineFigures")
            .WithSummary("Every chart of the session page's timeline as plotly.js figures (data and layout); v=<content key> makes the response cacheable for good.");
        group.MapGet("/{id:guid}/timeline/blocks/{block:int}", BlockAsync).WithName("TimelineBlock")
            .WithSummary("One block's views for the session page: its call's schedule, its attention (step, layer, head, branch; omitted = last pass / mean) and each frame's readouts.");
        group.MapGet("/{id:guid}/timeline/blocks", BlocksAsync).WithName("TimelineBlocks")
            .WithSummary($"Consecutive blocks' views, as blocks/{{block}} gives them one by one: from (default 0), count (1..{MaxBlocksPerRequest}, cut at the last block) and the same selection; what the session page preloads.");
        group.MapGet("/{id:guid}/timeline/{chart}", ExportAsync).WithName("ExportTimelineChart")
            .WithSummary("One chart's data: schedule, attention-over-time, latency, motion (whole session), block-schedule, "
                + "self-attention, cross-attention (one block: block=N; attention: step, layer, head, branch, each omitted = mean). format=csv|json.");
        return app;
    }

    private static async Task<IResult> FiguresAsync(Guid id, HttpContext http, SessionTimelines timelines, CancellationToken ct, string? v = null)
    {
        if (await TimelineOfAsync(timelines, id, v, ct) is not { } timeline)
        {
            return NoTimeline(id);
        }

        var json = await Task.Run(() => TimelineFigures.Json(timeline), ct);
        Cacheable(http, timeline, v);
        return Results.Bytes(json, "application/json");
    }

    private static async Task<IResult> BlockAsync(Guid id, int block, HttpContext http, SessionTimelines timelines, CancellationToken ct,
        string? v = null, int? step = null, int? layer = null, int? head = null, int? branch = null)
    {
        if (await TimelineOfAsync(timelines, id, v, ct) is not { } timeline)
        {
            return NoTimeline(id);
        }

        try
        {
            var payload = BlockViews.Build(timeline, timeline.ReadBlock(block), new AttentionSelection(step, layer, head, branch));
            Cacheable(http, timeline, v);
            return Results.Json(payload);
        }
        catch (ArgumentException e)
        {
            return ApiErrors.BadRequest(e.Message);
        }
    }

    /// <summary>
    /// The most blocks one request of <c>timeline/blocks</c> gives: about 1.2 MB of JSON with the
    /// reference model's 50-key attention (84-134 ms of the server's time on the 2-core VM), one chunk of the session page's preload.
    /// </summary>
    public const int MaxBlocksPerRequest = 100;

    private static async Task<IResult> BlocksAsync(Guid id, HttpContext http, SessionTimelines timelines, CancellationToken ct,
        string? v = null, int from = 0, int count = MaxBlocksPerRequest, int? step = null, int? layer = null, int? head = null, int? branch = null)
    {
        if (count is < 1 or > MaxBlocksPerRequest)
        {
            return ApiErrors.BadRequest($"count must be 1..{MaxBlocksPerRequest}, not {count}");
        }

        if (await TimelineOfAsync(timelines, id, v, ct) is not { } timeline)
        {
            return NoTimeline(id);
        }

        try
        {
            var selection = new AttentionSelection(step, layer, head, branch);
            var payloads = await Task.Run(() => timeline.ReadBlocks(from, count).Select(view => BlockViews.Build(timeline, view, selection)).ToList(), ct);
            Cacheable(http, timeline, v);
            return Results.Json(payloads);
        }
        catch (ArgumentException e)
        {
            return ApiErrors.BadRequest(e.Message);
        }
    }

    // A request naming the timeline's content (v=) finds it loaded without asking the database.
    private static async Task<SessionTimeline?> TimelineOfAsync(SessionTimelines timelines, Guid id, string? v, CancellationToken ct) =>
        timelines.Loaded(id, v) ?? await timelines.GetAsync(id, ct);

    private static IResult NoTimeline(Guid id) =>
        ApiErrors.NotFound($"session {id} has no timeline (it has not succeeded, or its telemetry is missing)");

    // A request that names the timeline's content (v=) gets an answer that never changes: the
    // browser keeps it and asks again only for other content. Without v=, it revalidates.
    private static void Cacheable(HttpContext http, SessionTimeline timeline, string? v) =>
        http.Response.Headers.CacheControl = v == timeline.ContentKey ? "private, max-age=31536000, immutable" : "private, no-cache";

    private static async Task<IResult> ExportAsync(Guid id, string chart, SessionTimelines timelines, CancellationToken ct,
        string? format = "csv", int? block = null, int? step = null, int? layer = null, int? head = null, int? branch = null)
    {
        if (!Charts.Contains(chart))
        {
            return ApiErrors.BadRequest($"unknown chart '{chart}'; one of: {string.Join(", ", Charts)}");
        }

        if (format is not ("csv" or "json"))
        {
            return ApiErrors.BadRequest($"unknown format '{format}'; csv or json");
        }

        if (await timelines.GetAsync(id, ct) is not { } timeline)
        {
            return NoTimeline(id);
        }

        ChartTable table;
        try
        {
            table = chart switch
            {
                "schedule" => timeline.ScheduleTable(),
                "attention-over-time" => timeline.AttentionOverTimeTable(),
                "latency" => timeline.LatencyTable(),
                "motion" => timeline.MotionTable(),
                _ => BlockTable(timeline, chart, block, step, layer, head, branch),
            };
        }
        catch (Exception e) when (e is ArgumentException or KeyNotFoundException)
        {
            return ApiErrors.BadRequest(e.Message);
        }

        var fileName = $"session-{id:N}-{table.Name}.{format}";
        return format == "csv"
            ? Results.Text(table.ToCsv(), "text/csv", System.Text.Encoding.UTF8).WithDownloadName(fileName)
            : Results.Text(table.ToJson(), "application/json", System.Text.Encoding.UTF8).WithDownloadName(fileName);
    }

    private static ChartTable BlockTable(SessionTimeline timeline, string chart, int? block, int? step, int? layer, int? head, int? branch)
    {
        if (block is not { } index)
        {
            throw new ArgumentException($"chart '{chart}' needs block=N (0..{timeline.Summary.Blocks.Count - 1})");
        }

        var view = timeline.ReadBlock(index);
        if (chart == "block-schedule")
        {
            return SessionTimeline.BlockScheduleTable(view);
        }

        var pass = step ?? (view.Attention.Count > 0 ? view.Attention[^1].Step : throw new KeyNotFoundException($"block {index} captured no attention"));
        return SessionTimeline.AttentionTable(view, chart == "self-attention" ? AttentionKind.Self : AttentionKind.Cross, pass, layer, head, branch);
    }

    private static IResult WithDownloadName(this IResult result, string fileName) => new DownloadNamed(result, fileName);

    private sealed class DownloadNamed(IResult inner, string fileName) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.Headers.ContentDisposition = $"attachment; filename=\"{fileName}\"";
            return inner.ExecuteAsync(httpContext);
        }
    }
}
