using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using AvatarLab.Client.Contracts;
using AvatarLab.Inference.Motion;
using AvatarLab.Server.Tests.Support;

namespace AvatarLab.Server.Tests.Api;

[Collection(ApiCollection.Name)]
public sealed class SessionRunTests(ApiHostFixture fixture)
{
    private AvatarLabHost Host => fixture.Host;
    private HttpClient Client => fixture.Client;

    [Fact]
    public async Task Run_ExampleOnReferenceModel_SucceedsWith500FramesBlocksAndDownloads()
    {
        // Arrange
        var recording = await Client.UploadRecordingAsync(ApiCalls.ExampleFiles(), "example for a run");
        var model = await Client.ReferenceModelIdAsync();

        // Act
        var id = await Client.CreateSessionAsync(new RunRequest { ModelId = model, RecordingId = recording.Id, Seed = 7, Name = "api run" });
        var session = await Host.WaitForFinishAsync(Client, id);

        // Assert: the run's numbers (20 s at 25 fps; the reference model's blocks are 10 frames).
        Assert.True(session.Status == "Succeeded", $"session ended {session.Status}: {session.Error}");
        Assert.Equal(500, session.Frames);
        Assert.Equal(20.0, session.MediaSeconds, 0.01);
        Assert.Equal(7, session.Seed);
        Assert.False(string.IsNullOrEmpty(session.Device), "no device reported");
        Assert.False(string.IsNullOrEmpty(session.DeviceReason), "no reason for the device reported");
        Assert.True(session.ComputeP50Ms > 0 && session.ComputeP95Ms >= session.ComputeP50Ms, $"p50 {session.ComputeP50Ms}, p95 {session.ComputeP95Ms}");
        Assert.True(session.RealTimeFactor > 0);
        Assert.Equal(("Succeeded", 1.0, 1), (session.Job!.Status, session.Job.Progress, session.Job.Attempts));

        // ... one row per block, covering every frame once.
        var blocks = await Client.GetFromJsonAsync<List<BlockRow>>($"/api/sessions/{id}/blocks");
        Assert.NotEmpty(blocks!);
        Assert.Equal(Enumerable.Range(0, blocks!.Count), blocks.Select(b => b.Index));
        Assert.Equal(500, blocks.Sum(b => b.NewFrames));
        Assert.All(blocks, b => Assert.True(b.ComputeMs > 0));

        // ... the artifacts download with their formats' signatures.
        var video = await Client.GetByteArrayAsync($"/api/sessions/{id}/video");
        Assert.Equal("ftyp", Encoding.ASCII.GetString(video, 4, 4));
        var motion = await Client.GetStringAsync($"/api/sessions/{id}/motion");
        var header = motion.Split('\n')[0].Trim().Split(',');
        Assert.Equal(FaceParams.Names, header.Where(h => h is not ("frame" or "time")));
        Assert.Equal(1 + 500, motion.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        var telemetry = await Client.GetByteArrayAsync($"/api/sessions/{id}/telemetry");
        Assert.Equal("ALTEL001", Encoding.ASCII.GetString(telemetry, 0, 8));
        using var summary = JsonDocument.Parse(await Client.GetStringAsync($"/api/sessions/{id}/summary"));
        Assert.Equal("reference-tiny", summary.RootElement.GetProperty("model").GetString());

        // ... and the list finds it by name and status.
        var listed = await Client.GetFromJsonAsync<List<SessionSummary>>("/api/sessions?status=Succeeded&q=api%20run");
        Assert.Contains(listed!, s => s.Id == id);
    }

    [Fact]
    public async Task Run_ClampAskedForAndRefused_SummaryRecordsWhichWasUsed()
    {
        // Arrange
        var model = await Client.ReferenceModelIdAsync();
        var recording = (await Client.UploadRecordingAsync(ApiCalls.ExampleFiles())).Id;

        // Act: the same run with the range clamp on and off (the manifest's default overridden both ways).
        var on = await Host.RunToSuccessAsync(Client, new RunRequest { ModelId = model, RecordingId = recording, Nfe = 3, ClampToLatentRange = true });
        var off = await Host.RunToSuccessAsync(Client, new RunRequest { ModelId = model, RecordingId = recording, Nfe = 3, ClampToLatentRange = false });

        // Assert
        async Task<System.Text.Json.JsonElement> Summary(Guid id) =>
            System.Text.Json.JsonDocument.Parse(await Client.GetStringAsync($"/api/sessions/{id}/summary")).RootElement;
        Assert.True((await Summary(on)).GetProperty("clampToLatentRange").GetBoolean());
        Assert.False((await Summary(off)).GetProperty("clampToLatentRange").GetBoolean());
        Assert.Equal(0, (await Summary(off)).GetProperty("clampedValues").GetInt64());
    }

    [Fact]
    public async Task Download_UnknownSession_Returns404WithoutPage()
    {
        using var response = await Client.GetAsync($"/api/sessions/{Guid.NewGuid()}/video");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.NotEqual("text/html", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Create_UnknownRecording_Returns404NamingIt()
    {
        var recording = Guid.NewGuid();
        var model = await Client.ReferenceModelIdAsync();

        using var response = await Client.PostAsJsonAsync("/api/sessions", new RunRequest { ModelId = model, RecordingId = recording });

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal($"recording {recording} does not exist", await ApiCalls.ErrorOfAsync(response));
    }

    private sealed record BlockRow(int Index, long FirstFrame, int NewFrames, double ComputeMs, double DenoiseMs, double CacheRefreshMs,
        double FeaturesMs, double RenderMs);
}
