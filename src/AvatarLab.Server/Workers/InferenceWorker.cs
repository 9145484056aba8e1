using System.Diagnostics;
using AvatarLab.Inference.Runs;
using AvatarLab.Server.Data;
using AvatarLab.Server.Data.Entities;
using AvatarLab.Server.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AvatarLab.Server.Workers;

/// <summary>
/// The GPU inference worker: owns the engine (through <see cref="ModelCatalog"/>) and works the
/// persistent job queue one job at a time, oldest first. A job running when the server stops
/// goes back to the queue (at shutdown, or at the next start after a crash); a failing job is
/// recorded as failed and never stops the worker.
/// </summary>
public sealed class InferenceWorker(
    IDbContextFactory<AvatarLabDbContext> dbFactory,
    JobQueue queue,
    SessionRunner runner,
    ModelCatalog models,
    WorkerState state,
    AvatarLab.Server.Timeline.TimelineWarmUp timelineWarmUp,
    IOptions<InferenceWorkerOptions> options,
    ILogger<InferenceWorker> logger) : BackgroundService
{
    // Progress is written to the database at most this often; the UI hears of it at most this often too.
    private static readonly TimeSpan _progressInterval = TimeSpan.FromMilliseconds(250);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await RequeueInterruptedAsync(stoppingToken);
        await PreloadAsync(stoppingToken);
        Idle();
        while (!stoppingToken.IsCancellationRequested)
        {
            Job? job;
            try
            {
                job = await queue.ClaimNextAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }

            if (job is null)
            {
                try
                {
                    // The queue wakes the worker; the timeout only covers jobs added by another process.
                    await queue.WaitAsync(TimeSpan.FromSeconds(5), stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    break;
                }

                continue;
            }

            await RunJobAsync(job, stoppingToken);
            Idle();
        }
    }

    /// <summary>Loads the first registered model, so the device in use is known (and shown) before the first job.</summary>
    private async Task PreloadAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (await db.Models.AsNoTracking().Where(m => m.LoadError == null && !m.Archived).OrderBy(m => m.RegisteredAt).FirstOrDefaultAsync(ct) is { } first)
        {
            try
            {
                await Task.Run(() => models.Get(first), ct);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogError("Model {Name} did not load: {Error}", first.Name, ex.Message);
            }
        }
    }

    private void Idle() => state.Set(new WorkerSnapshot("idle", null, null, null, 0, "", models.Device, DateTime.UtcNow));

    private async Task RequeueInterruptedAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var interrupted = await db.Jobs.Include(j => j.Session).Where(j => j.Status == JobStatus.Running).ToListAsync(ct);
        foreach (var job in interrupted)
        {
            logger.LogWarning("Job {Job} was running when the server stopped; queued again", job.Id);
            Requeue(job);
        }

        await db.SaveChangesAsync(ct);
    }

    private static void Requeue(Job job)
    {
        job.Status = JobStatus.Queued;
        job.Progress = 0;
        job.Stage = "re-queued after a server stop";
        job.StartedAt = null;
        if (job.Session is { } session)
        {
            session.Status = SessionStatus.Queued;
            session.StartedAt = null;
        }
    }

    private async Task RunJobAsync(Job job, CancellationToken stoppingToken)
    {
        var session = job.Session!;
        using var cts = await queue.StartTrackingAsync(job.Id, stoppingToken);
        var reporter = new ProgressReporter(dbFactory, state, models, job, session);
        state.Set(new WorkerSnapshot("running", job.Id, session.Id, session.Name, 0, "loading", models.Device, DateTime.UtcNow));
        var watch = Stopwatch.StartNew();
        JobStatus outcome;
        string? error = null;
        try
        {
            // The engine is synchronous CPU/GPU work: keep it off the request threads.
            await Task.Run(() => runner.RunAsync(session.Id, reporter, cts.Token), cts.Token);
            outcome = JobStatus.Succeeded;
            logger.LogInformation("Session {Session} finished in {Seconds:0.0} s", session.Id, watch.Elapsed.TotalSeconds);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Graceful shutdown: the job goes back to the queue for the next start.
            await using var db = await dbFactory.CreateDbContextAsync(CancellationToken.None);
            var stored = await db.Jobs.Include(j => j.Session).FirstAsync(j => j.Id == job.Id, CancellationToken.None);
            Requeue(stored);
            stored.Attempts--;
            await db.SaveChangesAsync(CancellationToken.None);
            queue.Untrack(job.Id);
            logger.LogInformation("Job {Job} re-queued at shutdown", job.Id);
            return;
        }
        catch (OperationCanceledException)
        {
            outcome = JobStatus.Cancelled;
        }
        catch (Exception ex)
        {
            // Anything a run can throw (bad input found late, an ONNX Runtime error, a full disk)
            // fails this job only.
            outcome = JobStatus.Failed;
            error = ex.Message;
            logger.LogError(ex, "Session {Session} failed", session.Id);
        }
        finally
        {
            queue.Untrack(job.Id);
        }

        await FinishAsync(job.Id, outcome, error);
    }

    private async Task FinishAsync(Guid jobId, JobStatus outcome, string? error)
    {
        await using var db = await dbFactory.CreateDbContextAsync(CancellationToken.None);
        var job = await db.Jobs.Include(j => j.Session).FirstAsync(j => j.Id == jobId);
        var retry = outcome == JobStatus.Failed && job.Attempts < options.Value.MaxAttempts && IsTransient(error);
        job.Status = retry ? JobStatus.Queued : outcome;
        job.FinishedAt = retry ? null : DateTime.UtcNow;
        job.Error = error;
        job.Progress = outcome == JobStatus.Succeeded ? 1 : job.Progress;
        job.Stage = outcome.ToString().ToLowerInvariant();
        // A newer job of the session (a retry) owns its state from then on.
        var superseded = await db.Jobs.AnyAsync(j => j.SessionId == job.SessionId && j.Id != job.Id && j.EnqueuedAt > job.EnqueuedAt);
        if (superseded)
        {
            await db.SaveChangesAsync();
            state.Touch();
            return;
        }

        var session = job.Session!;
        session.Status = retry ? SessionStatus.Queued : outcome switch
        {
            JobStatus.Succeeded => SessionStatus.Succeeded,
            JobStatus.Cancelled => SessionStatus.Cancelled,
            _ => SessionStatus.Failed,
        };
        session.Error = error;
        session.FinishedAt = retry ? null : DateTime.UtcNow;
        var saved = db.SaveChangesAsync();
        if (session.Status == SessionStatus.Succeeded)
        {
            // Its timeline, opened in the background once saved: the first visit (or the open page) finds it loaded.
            timelineWarmUp.WarmInBackground(session.Id, saved);
        }

        await saved;
        state.Touch();
    }

    // Only failures of the machine are worth an automatic retry; bad inputs fail the same way again.
    private static bool IsTransient(string? error) =>
        error is not null && (error.Contains("No space left", StringComparison.OrdinalIgnoreCase)
            || error.Contains("out of memory", StringComparison.OrdinalIgnoreCase));

    private sealed class ProgressReporter(
        IDbContextFactory<AvatarLabDbContext> dbFactory, WorkerState state, ModelCatalog models, Job job, Session session) : IProgress<RunProgress>
    {
        private long _last;

        public void Report(RunProgress value)
        {
            var now = Stopwatch.GetTimestamp();
            var fraction = value.TotalFrames > 0 ? Math.Clamp((double)value.Frames / value.TotalFrames, 0, 1) : 0;
            if (Stopwatch.GetElapsedTime(_last, now) < _progressInterval && value.Stage == "generating" && fraction < 1)
            {
                return;
            }

            _last = now;
            state.Set(new WorkerSnapshot("running", job.Id, session.Id, session.Name, fraction, value.Stage, models.Device, DateTime.UtcNow));
            using var db = dbFactory.CreateDbContext();
            db.Jobs.Where(j => j.Id == job.Id).ExecuteUpdate(s => s.SetProperty(j => j.Progress, fraction).SetProperty(j => j.Stage, value.Stage));
        }
    }
}
