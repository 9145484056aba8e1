using AvatarLab.Client.Contracts;
using AvatarLab.Server.Data;
using AvatarLab.Server.Data.Entities;
using AvatarLab.Server.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace AvatarLab.Server.Tests.Api;

/// <summary>The queue lives in the database: a job interrupted by a stop or a crash runs at the next start.</summary>
public sealed class RestartRecoveryTests : IDisposable
{
    private const string Email = "restart@avatarlab.test";
    private readonly string _data = Directory.CreateTempSubdirectory("avatarlab-restart-tests-").FullName;

    public void Dispose() => Directory.Delete(_data, recursive: true);

    [Fact]
    public async Task Worker_HostStoppedDuringRun_JobRequeuedAtShutdownAndCompletedByTheNextHost()
    {
        // Arrange: a run with 3x the default denoising passes, running when the host stops.
        Guid id;
        await using (var first = new AvatarLabHost(dataDirectory: _data))
        {
            using var client = await first.RegisterAsync(Email);
            var recording = await client.UploadRecordingAsync(ApiCalls.ExampleFiles());
            id = await client.CreateSessionAsync(new RunRequest { ModelId = await client.ReferenceModelIdAsync(), RecordingId = recording.Id, Nfe = 30 });
            await first.WaitForSessionAsync(client, id, s => s.Status == "Running", TimeSpan.FromMinutes(1));

            // Act (1): a graceful stop (DisposeAsync stops the host, then the worker).
        }

        // Assert (1): handed back to the queue, the attempt not counted.
        var job = await ReadJobAsync(id);
        Assert.Equal((JobStatus.Queued, SessionStatus.Queued, 0), (job.Status, job.Session!.Status, job.Attempts));
        Assert.Equal("re-queued after a server stop", job.Stage);

        // Act (2)
        await using var second = new AvatarLabHost(dataDirectory: _data);
        using var again = await second.SignInAsync(Email);
        var done = await second.WaitForFinishAsync(again, id);

        // Assert (2)
        Assert.True(done.Status == "Succeeded", $"ended {done.Status}: {done.Error}");
        Assert.Equal((500, 1), (done.Frames, done.Job!.Attempts));
    }

    [Fact]
    public async Task Worker_JobLeftRunningByACrash_RequeuedAtStartAndCompleted()
    {
        // Arrange: a host without the worker queues a job, which is then marked Running in the
        // database as a process killed mid-run leaves it (no shutdown hook ran).
        Guid id;
        await using (var first = new AvatarLabHost(worker: false, dataDirectory: _data))
        {
            using var client = await first.RegisterAsync(Email);
            var recording = await client.UploadRecordingAsync(ApiCalls.ExampleFiles());
            id = await client.CreateSessionAsync(new RunRequest { ModelId = await client.ReferenceModelIdAsync(), RecordingId = recording.Id });
            await first.QueryAsync(async db =>
            {
                var job = await db.Jobs.Include(j => j.Session).SingleAsync(j => j.SessionId == id);
                job.Status = JobStatus.Running;
                job.Attempts = 1;
                job.StartedAt = DateTime.UtcNow;
                job.Stage = "generating";
                job.Session!.Status = SessionStatus.Running;
                job.Session.StartedAt = job.StartedAt;
                return await db.SaveChangesAsync();
            });
        }

        // Act
        await using var second = new AvatarLabHost(dataDirectory: _data);
        using var again = await second.SignInAsync(Email);
        var done = await second.WaitForFinishAsync(again, id);

        // Assert: the second attempt ran it to the end.
        Assert.True(done.Status == "Succeeded", $"ended {done.Status}: {done.Error}");
        Assert.Equal((500, 2), (done.Frames, done.Job!.Attempts));
    }

    private async Task<Job> ReadJobAsync(Guid sessionId)
    {
        // The host is gone: read the SQLite file directly, as the next start will.
        var options = new DbContextOptionsBuilder<AvatarLabDbContext>()
            .UseSqlite($"Data Source={Path.Combine(_data, "avatarlab.db")};Pooling=false").Options;
        await using var db = new AvatarLabDbContext(options);
        return await db.Jobs.AsNoTracking().Include(j => j.Session).SingleAsync(j => j.SessionId == sessionId);
    }
}
