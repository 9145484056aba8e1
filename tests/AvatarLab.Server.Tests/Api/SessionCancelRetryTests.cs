using System.Net;
using AvatarLab.Client.Contracts;
using AvatarLab.Server.Tests.Support;

namespace AvatarLab.Server.Tests.Api;

[Collection(ApiCollection.Name)]
public sealed class SessionCancelRetryTests(ApiHostFixture fixture)
{
    // 200 denoising passes per block instead of the reference model's 10: the run takes minutes,
    // so it is surely still running when the test cancels it.
    private const int SlowNfe = 200;

    private AvatarLabHost Host => fixture.Host;
    private HttpClient Client => fixture.Client;

    [Fact]
    public async Task Cancel_RunningSessionAndOneQueuedBehindIt_BothEndCancelled()
    {
        // Arrange: a slow run on the worker, and a second run waiting behind it.
        var (model, recording) = await ModelAndRecordingAsync();
        var running = await Client.CreateSessionAsync(new RunRequest { ModelId = model, RecordingId = recording, Nfe = SlowNfe, Name = "slow" });
        await Host.WaitForSessionAsync(Client, running, s => s.Status == "Running", TimeSpan.FromMinutes(1));
        var queued = await Client.CreateSessionAsync(new RunRequest { ModelId = model, RecordingId = recording, Name = "behind" });
        Assert.Equal("Queued", (await Client.GetSessionAsync(queued)).Status);

        // Act
        using var cancelQueued = await Client.PostAsync($"/api/sessions/{queued}/cancel", null);
        var queuedAfter = await Client.GetSessionAsync(queued);
        using var cancelRunning = await Client.PostAsync($"/api/sessions/{running}/cancel", null);
        var runningAfter = await Host.WaitForFinishAsync(Client, running, TimeSpan.FromMinutes(1));

        // Assert: the queued one at once, the running one when the engine stops.
        Assert.Equal(HttpStatusCode.Accepted, cancelQueued.StatusCode);
        Assert.Equal(("Cancelled", "Cancelled"), (queuedAfter.Status, queuedAfter.Job!.Status));
        Assert.Equal(HttpStatusCode.Accepted, cancelRunning.StatusCode);
        Assert.Equal(("Cancelled", "Cancelled"), (runningAfter.Status, runningAfter.Job!.Status));
        Assert.Null(runningAfter.Error);
        Assert.Equal(0, runningAfter.Frames);

        // ... and nothing of the stopped run is left in tmp/.
        Assert.DoesNotContain(Host.TempEntries(), e => e.Contains(running.ToString("N"), StringComparison.Ordinal));
    }

    [Fact]
    public async Task Retry_CancelledSession_RunsAgainAndSucceeds()
    {
        // Arrange: a session cancelled (queued or already running, whichever it was).
        var (model, recording) = await ModelAndRecordingAsync();
        var id = await Client.CreateSessionAsync(new RunRequest { ModelId = model, RecordingId = recording, Name = "retried", Seed = 3 });
        using (var cancel = await Client.PostAsync($"/api/sessions/{id}/cancel", null))
        {
            Assert.Equal(HttpStatusCode.Accepted, cancel.StatusCode);
        }

        var cancelled = await Host.WaitForFinishAsync(Client, id, TimeSpan.FromMinutes(1));
        Assert.Equal("Cancelled", cancelled.Status);

        // Act
        using var retry = await Client.PostAsync($"/api/sessions/{id}/retry", null);
        var done = await Host.WaitForFinishAsync(Client, id);

        // Assert: a new job did the run; the session keeps its settings.
        Assert.Equal(HttpStatusCode.Accepted, retry.StatusCode);
        Assert.True(done.Status == "Succeeded", $"retry ended {done.Status}: {done.Error}");
        Assert.NotEqual(cancelled.Job!.Id, done.Job!.Id);
        Assert.Equal((500, 3L), (done.Frames, done.Seed));
    }

    [Fact]
    public async Task CancelAndRetry_FinishedSession_Return409()
    {
        // Arrange: a succeeded session.
        var (model, recording) = await ModelAndRecordingAsync();
        var id = await Client.CreateSessionAsync(new RunRequest { ModelId = model, RecordingId = recording, Nfe = 3 });
        Assert.Equal("Succeeded", (await Host.WaitForFinishAsync(Client, id)).Status);

        // Act
        using var cancel = await Client.PostAsync($"/api/sessions/{id}/cancel", null);
        using var retry = await Client.PostAsync($"/api/sessions/{id}/retry", null);

        // Assert
        Assert.Equal(HttpStatusCode.Conflict, cancel.StatusCode);
        Assert.Equal("the session is not queued or running", await ApiCalls.ErrorOfAsync(cancel));
        Assert.Equal(HttpStatusCode.Conflict, retry.StatusCode);
        Assert.Equal("only failed or cancelled sessions can be retried", await ApiCalls.ErrorOfAsync(retry));
    }

    private async Task<(Guid Model, Guid Recording)> ModelAndRecordingAsync() =>
        (await Client.ReferenceModelIdAsync(), (await Client.UploadRecordingAsync(ApiCalls.ExampleFiles())).Id);
}
