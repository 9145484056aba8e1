using System.Collections.Concurrent;
using AvatarLab.Server.Data;
using AvatarLab.Server.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace AvatarLab.Server.Workers;

/// <summary>
/// The persistent queue's in-process side: wakes the worker when a job is queued and carries
/// cancel requests to the running job. The queue itself is the Jobs table, so nothing is lost
/// when the process stops.
/// </summary>
public sealed class JobQueue(IDbContextFactory<AvatarLabDbContext> dbFactory, WorkerState state)
{
    private readonly SemaphoreSlim _wake = new(0);
    private readonly ConcurrentDictionary<Guid, CancellationTokenSource> _running = new();

    /// <summary>Adds a job for a session that is already saved, and wakes the worker.</summary>
    public async Task<Job> EnqueueAsync(Guid sessionId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var job = new Job { SessionId = sessionId };
        db.Jobs.Add(job);
        await db.SaveChangesAsync(ct);
        Wake();
        return job;
    }

    public void Wake()
    {
        _wake.Release();
        state.Touch();
    }

    /// <summary>Waits until a job may be waiting (or the timeout passes, as a safety net).</summary>
    public async Task WaitAsync(TimeSpan timeout, CancellationToken ct) => await _wake.WaitAsync(timeout, ct);

    /// <summary>
    /// Asks a queued or running job to stop. Returns false when it has already finished.
    /// </summary>
    /// <remarks>
    /// The worker claims jobs concurrently, so every transition is a compare-and-set on the
    /// job's status (one UPDATE ... WHERE Status = ...): a queued job is either cancelled here or
    /// claimed by the worker, never both (before, a cancel that read "queued" could land after
    /// the claim, mark the session cancelled while its run went on, and that run's end then
    /// overwrote a retry of the session). A running job gets <see cref="Job.CancelRequested"/>
    /// before its token is looked up; the worker tracks the token before it reads the flag
    /// (<see cref="StartTrackingAsync"/>), so a cancel that lands between the claim and the start of
    /// the run still stops it.
    /// </remarks>
    public async Task<bool> CancelAsync(Guid jobId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var sessionId = await db.Jobs.Where(j => j.Id == jobId).Select(j => (Guid?)j.SessionId).FirstOrDefaultAsync(ct);
        if (sessionId is null)
        {
            return false;
        }

        var now = DateTime.UtcNow;
        var cancelledQueued = await db.Jobs.Where(j => j.Id == jobId && j.Status == JobStatus.Queued)
            .ExecuteUpdateAsync(s => s.SetProperty(j => j.Status, JobStatus.Cancelled)
                .SetProperty(j => j.CancelRequested, true)
                .SetProperty(j => j.FinishedAt, now), ct);
        if (cancelledQueued == 1)
        {
            await db.Sessions.Where(s => s.Id == sessionId)
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.Status, SessionStatus.Cancelled).SetProperty(x => x.FinishedAt, now), ct);
            state.Touch();
            return true;
        }

        var flaggedRunning = await db.Jobs.Where(j => j.Id == jobId && j.Status == JobStatus.Running)
            .ExecuteUpdateAsync(s => s.SetProperty(j => j.CancelRequested, true), ct);
        if (flaggedRunning == 0)
        {
            return false;
        }

        if (_running.TryGetValue(jobId, out var cts))
        {
            await cts.CancelAsync();
        }

        state.Touch();
        return true;
    }

    /// <summary>
    /// Takes the oldest queued job for the worker (Queued -> Running, compare-and-set, so a job
    /// cancelled meanwhile is skipped), with its session and model; null when none is queued.
    /// </summary>
    public async Task<Job?> ClaimNextAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        while (true)
        {
            var candidate = await db.Jobs.Where(j => j.Status == JobStatus.Queued).OrderBy(j => j.EnqueuedAt)
                .Select(j => new { j.Id, j.SessionId }).FirstOrDefaultAsync(ct);
            if (candidate is null)
            {
                return null;
            }

            var now = DateTime.UtcNow;
            var claimed = await db.Jobs.Where(j => j.Id == candidate.Id && j.Status == JobStatus.Queued)
                .ExecuteUpdateAsync(s => s.SetProperty(j => j.Status, JobStatus.Running)
                    .SetProperty(j => j.Attempts, j => j.Attempts + 1)
                    .SetProperty(j => j.StartedAt, now)
                    .SetProperty(j => j.Progress, 0)
                    .SetProperty(j => j.Stage, "loading"), ct);
            if (claimed == 0)
            {
                continue; // cancelled (or taken) since it was read
            }

            await db.Sessions.Where(s => s.Id == candidate.SessionId)
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.Status, SessionStatus.Running).SetProperty(x => x.StartedAt, now), ct);
            return await db.Jobs.AsNoTracking().Include(j => j.Session).ThenInclude(s => s!.Model)
                .FirstAsync(j => j.Id == candidate.Id, ct);
        }
    }

    /// <summary>A new job for a failed or cancelled session (the old job stays as history).</summary>
    public async Task<Job?> RetryAsync(Guid sessionId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var session = await db.Sessions.FirstOrDefaultAsync(s => s.Id == sessionId, ct);
        if (session is null || session.Status is not (SessionStatus.Failed or SessionStatus.Cancelled))
        {
            return null;
        }

        session.Status = SessionStatus.Queued;
        session.Error = null;
        session.StartedAt = null;
        session.FinishedAt = null;
        await db.SaveChangesAsync(ct);
        return await EnqueueAsync(sessionId, ct);
    }

    /// <summary>
    /// Registers a claimed job's cancellation source (linked to the host's stopping token) and
    /// cancels it at once when a cancel was requested before it was registered.
    /// </summary>
    internal async Task<CancellationTokenSource> StartTrackingAsync(Guid jobId, CancellationToken stopping)
    {
        var cts = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        _running[jobId] = cts;
        await using var db = await dbFactory.CreateDbContextAsync(CancellationToken.None);
        if (await db.Jobs.Where(j => j.Id == jobId).Select(j => j.CancelRequested).FirstOrDefaultAsync(CancellationToken.None))
        {
            await cts.CancelAsync();
        }

        return cts;
    }

    internal void Untrack(Guid jobId)
    {
        if (_running.TryRemove(jobId, out var cts))
        {
            cts.Dispose();
        }
    }
}
