using AvatarLab.Server.Data;
using AvatarLab.Server.Data.Entities;
using AvatarLab.Server.Workers;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace AvatarLab.Server.Tests.Workers;

/// <summary>
/// The queue's status transitions on a real SQLite file, with the worker's steps (claim, start
/// tracking) called by the test in the orders a cancel can interleave with them.
/// </summary>
public sealed class JobQueueTests : IAsyncLifetime
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "avatarlab-jobqueue-" + Guid.NewGuid().ToString("N"));
    private PooledDbContextFactory<AvatarLabDbContext> _factory = null!;
    private JobQueue _queue = null!;

    public async Task InitializeAsync()
    {
        var connection = new SqliteConnectionStringBuilder { DataSource = Path.Combine(_folder, "avatarlab.db"), Pooling = false }.ToString();
        _factory = new PooledDbContextFactory<AvatarLabDbContext>(new DbContextOptionsBuilder<AvatarLabDbContext>().UseSqlite(connection).Options);
        await using (var db = await _factory.CreateDbContextAsync())
        {
            await DatabaseSetup.MigrateAsync(db, CancellationToken.None);
        }

        _queue = new JobQueue(_factory, new WorkerState());
    }

    public Task DisposeAsync()
    {
        Directory.Delete(_folder, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task CancelAsync_QueuedJob_CancelsSessionAndTheWorkerNeverClaimsIt()
    {
        // Arrange
        var (sessionId, job) = await QueuedJobAsync();

        // Act
        var cancelled = await _queue.CancelAsync(job.Id, CancellationToken.None);
        var claimed = await _queue.ClaimNextAsync(CancellationToken.None);

        // Assert
        Assert.True(cancelled);
        Assert.Null(claimed);
        var (jobStatus, sessionStatus) = await StatusesAsync(job.Id, sessionId);
        Assert.Equal((JobStatus.Cancelled, SessionStatus.Cancelled), (jobStatus, sessionStatus));
    }

    [Fact]
    public async Task CancelAsync_ClaimedJobNotYetTracked_LeavesItRunningAndItsRunStartsCancelled()
    {
        // Arrange: the worker has claimed the job but not yet registered its token.
        var (sessionId, job) = await QueuedJobAsync();
        var claimed = await _queue.ClaimNextAsync(CancellationToken.None);
        Assert.Equal(job.Id, claimed?.Id);

        // Act
        var cancelled = await _queue.CancelAsync(job.Id, CancellationToken.None);
        using var cts = await _queue.StartTrackingAsync(job.Id, CancellationToken.None);

        // Assert: the run is told to stop; the job stays Running until the worker finishes it, so a
        // retry is refused until then (the session is not Cancelled yet).
        Assert.True(cancelled);
        Assert.True(cts.IsCancellationRequested);
        var (jobStatus, sessionStatus) = await StatusesAsync(job.Id, sessionId);
        Assert.Equal((JobStatus.Running, SessionStatus.Running), (jobStatus, sessionStatus));
        Assert.Null(await _queue.RetryAsync(sessionId, CancellationToken.None));
        _queue.Untrack(job.Id);
    }

    [Fact]
    public async Task StartTrackingAsync_NoCancelRequested_TokenStaysLive()
    {
        // Arrange
        var (_, job) = await QueuedJobAsync();
        await _queue.ClaimNextAsync(CancellationToken.None);

        // Act
        using var cts = await _queue.StartTrackingAsync(job.Id, CancellationToken.None);

        // Assert
        Assert.False(cts.IsCancellationRequested);
        Assert.True(await _queue.CancelAsync(job.Id, CancellationToken.None));
        Assert.True(cts.IsCancellationRequested);
        _queue.Untrack(job.Id);
    }

    [Fact]
    public async Task ClaimNextAsync_OldestQueuedFirst_SkipsCancelledOnes()
    {
        // Arrange
        var (_, first) = await QueuedJobAsync();
        var (second, secondJob) = await QueuedJobAsync();
        await _queue.CancelAsync(first.Id, CancellationToken.None);

        // Act
        var claimed = await _queue.ClaimNextAsync(CancellationToken.None);

        // Assert
        Assert.Equal(secondJob.Id, claimed?.Id);
        Assert.Equal(1, claimed!.Attempts);
        Assert.Equal(SessionStatus.Running, (await StatusesAsync(secondJob.Id, second)).Session);
        Assert.Null(await _queue.ClaimNextAsync(CancellationToken.None));
    }

    private async Task<(Guid SessionId, Job Job)> QueuedJobAsync()
    {
        await using var db = await _factory.CreateDbContextAsync();
        var model = await db.Models.FirstOrDefaultAsync() ?? db.Models.Add(new ModelRecord { Name = "m", Version = "1" }).Entity;
        var session = new Session { Name = "s", Model = model };
        db.Sessions.Add(session);
        await db.SaveChangesAsync();
        return (session.Id, await _queue.EnqueueAsync(session.Id, CancellationToken.None));
    }

    private async Task<(JobStatus Job, SessionStatus Session)> StatusesAsync(Guid jobId, Guid sessionId)
    {
        await using var db = await _factory.CreateDbContextAsync();
        var job = await db.Jobs.AsNoTracking().FirstAsync(j => j.Id == jobId);
        var session = await db.Sessions.AsNoTracking().FirstAsync(s => s.Id == sessionId);
        return (job.Status, session.Status);
    }
}
