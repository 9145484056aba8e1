using System.Security.Claims;
using AvatarLab.Client.Contracts;
using AvatarLab.Server.Data;
using AvatarLab.Server.Data.Entities;
using AvatarLab.Server.Services;
using AvatarLab.Server.Storage;
using AvatarLab.Server.Workers;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace AvatarLab.Server.Apis;

public static class SessionsApi
{
    /// <summary>Downloadable artifacts of a session: name in the URL -> file name and content type.</summary>
    public static readonly IReadOnlyDictionary<string, (string Suffix, string ContentType)> Artifacts = new Dictionary<string, (string, string)>
    {
        ["video"] = (".mp4", "video/mp4"),
        ["motion"] = ("-motion.csv", "text/csv"),
        ["telemetry"] = (".altel", "application/octet-stream"),
        ["summary"] = ("-run.json", "application/json"),
    };

    public static IEndpointRouteBuilder MapSessionsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/sessions").RequireAuthorization().WithTags("Sessions");
        api.MapGet("/", ListAsync).WithName("ListSessions")
            .WithSummary("Sessions, newest first; filter by status, modelId and a search text (q) over names.");
        api.MapGet("/{id:guid}", GetAsync).WithName("GetSession").WithSummary("One session with its latest job.");
        api.MapGet("/{id:guid}/blocks", BlocksAsync).WithName("GetSessionBlocks").WithSummary("Per-block stage timings.");
        api.MapGet("/{id:guid}/{artifact}", DownloadAsync).WithName("GetSessionArtifact")
            .WithSummary("video (MP4), motion (CSV), telemetry (.altel) or summary (JSON); supports range requests.");
        api.MapPost("/", CreateAsync).RequireAntiforgeryHeader().WithName("CreateSession").WithSummary("Queue a run of a recording (RunRequest).");
        api.MapPost("/{id:guid}/cancel", CancelAsync).RequireAntiforgeryHeader().WithName("CancelSession").WithSummary("Cancel a queued or running session.");
        api.MapPost("/{id:guid}/retry", RetryAsync).RequireAntiforgeryHeader().WithName("RetrySession").WithSummary("Queue a failed or cancelled session again.");
        return app;
    }

    public static async Task<List<SessionSummary>> QueryAsync(AvatarLabDbContext db, string? status, Guid? modelId, string? q, int take, CancellationToken ct)
    {
        var query = db.Sessions.AsNoTracking().Include(s => s.Model).Include(s => s.Recording).AsQueryable();
        if (!string.IsNullOrWhiteSpace(status) && Enum.TryParse<SessionStatus>(status, ignoreCase: true, out var st))
        {
            query = query.Where(s => s.Status == st);
        }

        if (modelId is { } mid)
        {
            query = query.Where(s => s.ModelId == mid);
        }

        if (!string.IsNullOrWhiteSpace(q))
        {
            var pattern = $"%{q.Trim()}%";
            query = query.Where(s => EF.Functions.Like(s.Name, pattern) || EF.Functions.Like(s.Model!.Name, pattern)
                || (s.Recording != null && EF.Functions.Like(s.Recording.Name, pattern)));
        }

        var sessions = await query.OrderByDescending(s => s.CreatedAt).Take(take).ToListAsync(ct);
        var ids = sessions.Select(s => s.Id).ToList();
        var jobs = await db.Jobs.AsNoTracking().Where(j => ids.Contains(j.SessionId)).ToListAsync(ct);
        var latest = jobs.GroupBy(j => j.SessionId).ToDictionary(g => g.Key, g => g.MaxBy(j => j.EnqueuedAt));
        return [.. sessions.Select(s => s.ToSummary(latest.GetValueOrDefault(s.Id)))];
    }

    private static async Task<List<SessionSummary>> ListAsync(IDbContextFactory<AvatarLabDbContext> dbFactory, string? status, Guid? modelId, string? q,
        int? take, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await QueryAsync(db, status, modelId, q, Math.Clamp(take ?? 200, 1, 1000), ct);
    }

    private static async Task<Results<Ok<SessionSummary>, NotFound>> GetAsync(Guid id, IDbContextFactory<AvatarLabDbContext> dbFactory, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var session = await db.Sessions.AsNoTracking().Include(s => s.Model).Include(s => s.Recording).FirstOrDefaultAsync(s => s.Id == id, ct);
        if (session is null)
        {
            return TypedResults.NotFound();
        }

        var job = await db.Jobs.AsNoTracking().Where(j => j.SessionId == id).OrderByDescending(j => j.EnqueuedAt).FirstOrDefaultAsync(ct);
        return TypedResults.Ok(session.ToSummary(job));
    }

    private static async Task<IResult> BlocksAsync(Guid id, IDbContextFactory<AvatarLabDbContext> dbFactory, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var blocks = await db.SessionBlocks.AsNoTracking().Where(b => b.SessionId == id).OrderBy(b => b.Index)
            .Select(b => new { b.Index, b.FirstFrame, b.NewFrames, b.ComputeMs, b.DenoiseMs, b.CacheRefreshMs, b.FeaturesMs, b.RenderMs })
            .ToListAsync(ct);
        return Results.Ok(blocks);
    }

    private static async Task<IResult> DownloadAsync(Guid id, string artifact, IDbContextFactory<AvatarLabDbContext> dbFactory, BlobStore store,
        CancellationToken ct)
    {
        if (!Artifacts.TryGetValue(artifact, out var kind))
        {
            return TypedResults.NotFound();
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var session = await db.Sessions.AsNoTracking().FirstOrDefaultAsync(s => s.Id == id, ct);
        var sha = artifact switch
        {
            "video" => session?.VideoSha256,
            "motion" => session?.MotionSha256,
            "telemetry" => session?.TelemetrySha256,
            _ => session?.SummarySha256,
        };
        if (session is null || sha is null || !store.Exists(sha))
        {
            return TypedResults.NotFound();
        }

        var safeName = string.Concat(session.Name.Select(c => char.IsLetterOrDigit(c) || c is '-' or '_' ? c : '_'));
        return TypedResults.PhysicalFile(store.PathOf(sha), kind.ContentType, safeName + kind.Suffix, enableRangeProcessing: true);
    }

    private static async Task<IResult> CreateAsync(HttpContext context, RunRequest request, SessionService sessions, CancellationToken ct)
    {
        try
        {
            var session = await sessions.CreateAsync(request, context.User.FindFirstValue(ClaimTypes.NameIdentifier), ct);
            return TypedResults.Created($"/api/sessions/{session.Id}", new { session.Id, session.Name, Status = session.Status.ToString() });
        }
        catch (UploadException ex)
        {
            return ApiErrors.From(ex);
        }
    }

    private static async Task<IResult> CancelAsync(Guid id, IDbContextFactory<AvatarLabDbContext> dbFactory,
        JobQueue queue, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var job = await db.Jobs.AsNoTracking().Where(j => j.SessionId == id).OrderByDescending(j => j.EnqueuedAt).FirstOrDefaultAsync(ct);
        return job is not null && await queue.CancelAsync(job.Id, ct)
            ? Results.Accepted()
            : Results.Json(new ApiError("the session is not queued or running"), statusCode: StatusCodes.Status409Conflict);
    }

    private static async Task<IResult> RetryAsync(Guid id, JobQueue queue, CancellationToken ct) =>
        await queue.RetryAsync(id, ct) is { } job
            ? Results.Accepted($"/api/sessions/{id}", new { JobId = job.Id })
            : Results.Json(new ApiError("only failed or cancelled sessions can be retried"), statusCode: StatusCodes.Status409Conflict);
}
