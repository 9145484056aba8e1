using AvatarLab.Client.Contracts;
using AvatarLab.Server.Data.Entities;
using AvatarLab.Server.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace AvatarLab.Server.Tests.Api;

[Collection(ApiCollection.Name)]
public sealed class FailingJobTests(ApiHostFixture fixture)
{
    private AvatarLabHost Host => fixture.Host;
    private HttpClient Client => fixture.Client;

    [Fact]
    public async Task Run_RecordingFileDeletedFromDataFolder_FailsWithMessageAndWorkerRunsTheNextJob()
    {
        // Arrange: a recording of its own content (a fresh seed), whose stored avatar audio is then
        // removed from the data folder behind the database's back; a good run queued behind it.
        var seed = Random.Shared.Next();
        var broken = await Client.UploadRecordingAsync(
        [
            new UploadFile("avatar_audio", "lost.wav", TestMedia.Wav(2, seed: seed), "audio/wav"),
            new UploadFile("user_audio", "kept.wav", TestMedia.Wav(2, seed: seed + 1), "audio/wav"),
        ], "file lost");
        var sha = await Host.QueryAsync(db => db.RecordingFiles
            .Where(f => f.RecordingId == broken.Id && f.Kind == RecordingFileKind.AvatarAudio).Select(f => f.Sha256).SingleAsync());
        File.Delete(Path.Combine(Host.StoreDirectory, sha[..2], sha));
        var good = await Client.UploadRecordingAsync(ApiCalls.ExampleFiles());
        var model = await Client.ReferenceModelIdAsync();

        // Act
        var failing = await Client.CreateSessionAsync(new RunRequest { ModelId = model, RecordingId = broken.Id, Name = "fails" });
        var next = await Client.CreateSessionAsync(new RunRequest { ModelId = model, RecordingId = good.Id, Name = "runs after", Nfe = 3 });
        var failed = await Host.WaitForFinishAsync(Client, failing);
        var succeeded = await Host.WaitForFinishAsync(Client, next);

        // Assert: the failure is recorded with the engine's message, tried once (not a machine fault).
        Assert.Equal(("Failed", "Failed", 1), (failed.Status, failed.Job!.Status, failed.Job.Attempts));
        Assert.False(string.IsNullOrWhiteSpace(failed.Error), "a failed session has no error message");
        Assert.Contains(sha, failed.Error);
        Assert.Equal(failed.Error, failed.Job.Error);
        Assert.True(succeeded.Status == "Succeeded", $"the next job ended {succeeded.Status}: {succeeded.Error}");
        Assert.Equal(500, succeeded.Frames);
    }
}
