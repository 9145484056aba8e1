using System.Text.Json;
using AvatarLab.Server.Data;
using AvatarLab.Server.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace AvatarLab.Server.Timeline;

/// <summary>
/// After a server start, opens the timeline of the most recently finished run in the background
/// (and, as each run finishes, that run's: <see cref="WarmInBackground"/>):
/// loads it, builds its figures and one block's views, and serializes them the way the API does.
/// A session page's first visit after a start otherwise pays for the server's first-time code
/// (JIT of the figure builder and the JSON paths, about a second on two cores) on top of its own
/// data. The timeline stays loaded (<see cref="SessionTimelines"/> keeps the last few), so that
/// session opens as if visited before. A visit while this runs waits for the same load, not a
/// second one. Off with <c>Timeline:WarmUp=false</c>.
/// </summary>
public sealed class TimelineWarmUp(
    IDbContextFactory<AvatarLabDbContext> dbFactory,
    SessionTimelines timelines,
    IHostApplicationLifetime lifetime,
    IConfiguration configuration,
    Microsoft.Extensions.Options.IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json,
    ILogger<TimelineWarmUp> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!configuration.GetValue("Timeline:WarmUp", true))
        {
            return;
        }

        var started = new TaskCompletionSource();
        using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
        using (stoppingToken.Register(() => started.TrySetCanceled()))
        {
            try
            {
                await started.Task;
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }

        try
        {
            await WarmAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            // Only speed is at stake: the page loads the timeline itself.
            log.LogWarning(e, "Timeline warm-up failed");
        }
    }

    /// <summary>
    /// A run has succeeded (the worker calls this as it saves the session so, <paramref name="saved"/>
    /// being that save: registered here before anyone can see the session succeeded, so that
    /// <see cref="WarmedInBackground"/> knows of it): its timeline is opened in the background once
    /// saved, since the researcher who started the run is likely to open it next (or has its page
    /// open, which then loads it). Never throws.
    /// </summary>
    public void WarmInBackground(Guid sessionId, Task saved)
    {
        if (!configuration.GetValue("Timeline:WarmUp", true))
        {
            return;
        }

        var warming = Task.Run(async () =>
        {
            try
            {
                await saved;
                await WarmAsync(lifetime.ApplicationStopping, sessionId);
            }
            catch (OperationCanceledException)
            {
            }
            catch (Exception e)
            {
                log.LogWarning(e, "Timeline warm-up of session {Session} failed", sessionId);
            }
        });
        _warming[sessionId] = warming;
        warming.ContinueWith(_ => _warming.TryRemove(new KeyValuePair<Guid, Task>(sessionId, warming)), TaskScheduler.Default);
    }

    private readonly System.Collections.Concurrent.ConcurrentDictionary<Guid, Task> _warming = new();

    /// <summary>Completes when the background warm-up of <paramref name="sessionId"/> (if one runs) has ended.</summary>
    public Task WarmedInBackground(Guid sessionId) => _warming.TryGetValue(sessionId, out var task) ? task : Task.CompletedTask;

    /// <summary>
    /// Opens <paramref name="sessionId"/>'s timeline, or without one the most recently finished
    /// succeeded run's; the session's id, or null when there is none (or it has no timeline).
    /// </summary>
    public async Task<Guid?> WarmAsync(CancellationToken ct, Guid? sessionId = null)
    {
        var begun = System.Diagnostics.Stopwatch.GetTimestamp();
        Guid id;
        if (sessionId is { } given)
        {
            id = given;
        }
        else
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var latest = await db.Sessions.AsNoTracking()
                .Where(s => s.Status == SessionStatus.Succeeded && s.TelemetrySha256 != null)
                .OrderByDescending(s => s.FinishedAt ?? s.CreatedAt)
                .Select(s => (Guid?)s.Id)
                .FirstOrDefaultAsync(ct);
            if (latest is not { } found)
            {
                return null;
            }

            id = found;
        }

        if (await timelines.GetAsync(id, ct) is not { } timeline)
        {
            return null;
        }

        var figures = TimelineFigures.Json(timeline);
        var block = timeline.Summary.Blocks.Count > 0
            ? JsonSerializer.SerializeToUtf8Bytes(BlockViews.Build(timeline, timeline.ReadBlock(0), new AttentionSelection()), json.Value.SerializerOptions)
            : [];
        log.LogInformation("Timeline warm-up: session {Session} ready in {Ms:0} ms (figures {FiguresKb} kB, a block {BlockKb} kB)",
            id, System.Diagnostics.Stopwatch.GetElapsedTime(begun).TotalMilliseconds, figures.Length / 1024, block.Length / 1024);
        return id;
    }
}
