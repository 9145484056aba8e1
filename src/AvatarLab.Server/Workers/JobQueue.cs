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

    /// <summary>Asks a queued or running job to stop. Returns false when it has already finished.</summary>
    public async Task<bool> CancelAsync(Guid jobId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var job = await db.Jobs.Include(j => j.Session).FirstOrDefaultAsync(j => j.Id == jobId, ct);
        if (job is null || job.Status is not (JobStatus.Queued or JobStatus.Running))
        {
            return false;
        }

        job.CancelRequested = true;
        if (job.Status == JobStatus.Queued)
        {
            job.Status = JobStatus.Cancelled;
            job.FinishedAt = DateTime.UtcNow;
            job.Session!.Status = SessionStatus.Cancelled;
            job.Session.FinishedAt = job.FinishedAt;
        }

        await db.SaveChangesAsync(ct);
        if (_running.TryGetValue(jobId, out var cts))
        {
            await cts.CancelAsync();
        }

        state.Touch();
        return true;
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

    internal CancellationTokenSource Track(Guid jobId, CancellationToken stopping)
    {
        var cts = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        _running[jobId] = cts;
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
