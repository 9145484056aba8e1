using System.Net;
using System.Text.Json;
using AvatarLab.Client.Contracts;
using AvatarLab.Server.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace AvatarLab.Server.Tests.Api;

/// <summary>GET api/sessions/{id}/timeline/{chart}: every chart's data as CSV or JSON, and clear errors for bad requests.</summary>
[Collection(ApiCollection.Name)]
public sealed class TimelineExportTests(ApiHostFixture fixture)
{
    private HttpClient Client => fixture.Client;

    [Fact]
    public async Task Export_OfAFinishedRun_GivesEveryChartsDataAndNamesWhatIsWrongOtherwise()
    {
        // Arrange: the example (500 frames, 10-frame blocks after a 50-frame first clip).
        var recording = await Client.UploadRecordingAsync(ApiCalls.ExampleFiles(), "timeline export");
        var id = await fixture.Host.RunToSuccessAsync(Client, new RunRequest { ModelId = await Client.ReferenceModelIdAsync(), RecordingId = recording.Id, Seed = 2 });
        var url = $"/api/sessions/{id}/timeline";

        // Act + Assert: CSV of the latency chart, one row per block, with a download name.
        var latency = await Client.GetAsync($"{url}/latency?format=csv");
        Assert.Equal(HttpStatusCode.OK, latency.StatusCode);
        Assert.Equal("text/csv", latency.Content.Headers.ContentType!.MediaType);
        Assert.Contains($"session-{id:N}-latency.csv", latency.Content.Headers.ContentDisposition!.ToString());
        var lines = (await latency.Content.ReadAsStringAsync()).TrimEnd('\n').Split('\n');
        Assert.StartsWith("block,first_frame,new_frames,time_s,features_ms,denoise_ms", lines[0]);
        Assert.Equal(46, lines.Length - 1);

        // JSON of the schedule: a column per pass, a row per frame; the last frame starts as noise and ends clean.
        using var schedule = JsonDocument.Parse(await Client.GetStringAsync($"{url}/schedule?format=json"));
        var columns = schedule.RootElement.GetProperty("columns");
        Assert.Equal(500, schedule.RootElement.GetProperty("rows").GetInt32());
        Assert.Equal(1000.0, columns.GetProperty("t_pass1")[499].GetDouble(), 1);
        var passes = columns.EnumerateObject().Count(c => c.Name.StartsWith("t_pass", StringComparison.Ordinal));
        Assert.Equal(0.0, columns.GetProperty($"t_pass{passes}")[499].GetDouble());

        // One block's attention, one layer and head of the user branch: each query row sums to 1.
        using var self = JsonDocument.Parse(await Client.GetStringAsync($"{url}/self-attention?format=json&block=10&layer=1&head=1&branch=2"));
        var q = self.RootElement.GetProperty("columns").GetProperty("query_frame").EnumerateArray().Select(v => v.GetDouble()).ToArray();
        var w = self.RootElement.GetProperty("columns").GetProperty("weight").EnumerateArray().Select(v => v.GetDouble()).ToArray();
        foreach (var row in q.Distinct())
        {
            Assert.Equal(1.0, Enumerable.Range(0, q.Length).Where(i => q[i] == row).Sum(i => w[i]), 2);
        }

        // The session page's block views (blocks/N): the block's call schedule and attention as the exports give
        // them, one readout per new frame; under the content key (the telemetry's SHA-256) cacheable for good.
        var sha = await fixture.Host.QueryAsync(db => Task.FromResult(db.Sessions.Single(s => s.Id == id).TelemetrySha256!));
        var block = await Client.GetAsync($"{url}/blocks/10?v={sha}&layer=1&head=1&branch=2");
        Assert.Equal(HttpStatusCode.OK, block.StatusCode);
        Assert.Equal("private, max-age=31536000, immutable", block.Headers.NonValidated["Cache-Control"].ToString());
        using (var payload = JsonDocument.Parse(await block.Content.ReadAsStringAsync()))
        {
            var root = payload.RootElement;
            Assert.Equal(10, root.GetProperty("block").GetInt32());
            using var blockSchedule = JsonDocument.Parse(await Client.GetStringAsync($"{url}/block-schedule?format=json&block=10"));
            Assert.Equal(blockSchedule.RootElement.GetProperty("columns").GetProperty("frame").EnumerateArray().Select(v => v.GetDouble()),
                root.GetProperty("schedule").GetProperty("x").EnumerateArray().Select(v => v.GetDouble()));
            var z = root.GetProperty("self").GetProperty("z").EnumerateArray().SelectMany(r => r.EnumerateArray().Select(v => v.GetDouble())).ToArray();
            Assert.Equal(w.Length, z.Length);
            Assert.All(Enumerable.Range(0, z.Length), i => Assert.Equal(w[i], z[i], 4));
            var frames = root.GetProperty("frames");
            Assert.Equal(10, frames.GetArrayLength());
            Assert.StartsWith($"Frame {root.GetProperty("firstFrame").GetInt64()} (", frames[0].GetProperty("block").GetString());
            Assert.Equal(12, frames[0].GetProperty("motion").GetArrayLength());
        }

        var figures = await Client.GetAsync($"{url}/figures?v={sha}");
        Assert.Equal("private, max-age=31536000, immutable", figures.Headers.NonValidated["Cache-Control"].ToString());
        using (var doc = JsonDocument.Parse(await figures.Content.ReadAsStringAsync()))
        {
            Assert.Contains("chart-motion", doc.RootElement.GetProperty("figures").EnumerateObject().Select(f => f.Name));
        }

        Assert.Equal("private, no-cache", (await Client.GetAsync($"{url}/figures")).Headers.NonValidated["Cache-Control"].ToString());
        // The worker saved the timeline's summary when the run finished: opening it reads no telemetry block.
        Assert.True(File.Exists(Path.Combine(fixture.Host.DataDirectory, "cache", "timeline", $"{sha}.v1.summary")));
        // And its measures, under the key of the files they come from.
        var inputs = await fixture.Host.QueryAsync(db => Task.FromResult(db.Sessions.Where(s => s.Id == id)
            .Select(s => new { Motion = s.MotionSha256!, Files = s.Recording!.Files.Select(f => new { f.Kind, f.Sha256 }).ToList() }).Single()));
        string? FileOf(AvatarLab.Server.Data.Entities.RecordingFileKind kind) => inputs.Files.SingleOrDefault(f => f.Kind == kind)?.Sha256;
        var measuresKey = AvatarLab.Server.Timeline.TimelineCache.MeasuresKey(inputs.Motion, FileOf(AvatarLab.Server.Data.Entities.RecordingFileKind.UserMotion),
            FileOf(AvatarLab.Server.Data.Entities.RecordingFileKind.AvatarAudio), FileOf(AvatarLab.Server.Data.Entities.RecordingFileKind.UserAudio), 25, 16000, faceParams: true);
        Assert.True(File.Exists(Path.Combine(fixture.Host.DataDirectory, "cache", "timeline", $"{measuresKey}.m1.measures.json")));

        // Bad requests say what is wrong.
        await ExpectErrorAsync($"{url}/blocks/46", HttpStatusCode.BadRequest, "the session has blocks 0..45");
        await ExpectErrorAsync($"{url}/blocks/3?layer=9", HttpStatusCode.BadRequest, "layer must be in 0..2");
        await ExpectErrorAsync($"/api/sessions/{Guid.NewGuid()}/timeline/figures", HttpStatusCode.NotFound, "has no timeline");
        await ExpectErrorAsync($"{url}/heatmap", HttpStatusCode.BadRequest, "unknown chart 'heatmap'");
        await ExpectErrorAsync($"{url}/latency?format=xml", HttpStatusCode.BadRequest, "unknown format 'xml'");
        await ExpectErrorAsync($"{url}/block-schedule", HttpStatusCode.BadRequest, "needs block=N (0..45)");
        await ExpectErrorAsync($"{url}/block-schedule?block=46", HttpStatusCode.BadRequest, "the session has blocks 0..45");
        await ExpectErrorAsync($"{url}/self-attention?block=3&step=0", HttpStatusCode.BadRequest, "has no attention for pass 1");
        await ExpectErrorAsync($"{url}/self-attention?block=3&layer=9", HttpStatusCode.BadRequest, "layer must be in 0..2");
        await ExpectErrorAsync($"/api/sessions/{Guid.NewGuid()}/timeline/latency", HttpStatusCode.NotFound, "has no timeline");
    }

    [Fact]
    public async Task Blocks_InChunks_AreTheBlockByBlockViewsCutAtTheLastBlockAndABadRangeIsNamed()
    {
        // Arrange: the example (46 blocks), and the page's key for its timeline.
        var recording = await Client.UploadRecordingAsync(ApiCalls.ExampleFiles(), "timeline preload");
        var id = await fixture.Host.RunToSuccessAsync(Client, new RunRequest { ModelId = await Client.ReferenceModelIdAsync(), RecordingId = recording.Id, Seed = 4 });
        var url = $"/api/sessions/{id}/timeline";
        var sha = await fixture.Host.QueryAsync(db => Task.FromResult(db.Sessions.Single(s => s.Id == id).TelemetrySha256!));

        // Act: a chunk that runs past the last block, for one layer, head and branch (what the page's preload asks for).
        var chunk = await Client.GetAsync($"{url}/blocks?v={sha}&from=40&count=10&layer=1&head=1&branch=2");

        // Assert: blocks 40..45, each exactly as blocks/N gives it, cacheable for good under the key.
        Assert.Equal(HttpStatusCode.OK, chunk.StatusCode);
        Assert.Equal("private, max-age=31536000, immutable", chunk.Headers.NonValidated["Cache-Control"].ToString());
        using var payloads = JsonDocument.Parse(await chunk.Content.ReadAsStringAsync());
        var items = payloads.RootElement.EnumerateArray().ToList();
        Assert.Equal([40, 41, 42, 43, 44, 45], items.Select(p => p.GetProperty("block").GetInt32()));
        foreach (var item in items)
        {
            var n = item.GetProperty("block").GetInt32();
            var single = await Client.GetStringAsync($"{url}/blocks/{n}?v={sha}&layer=1&head=1&branch=2");
            Assert.Equal(single, item.GetRawText());
        }

        // The first chunk with no selection (the mean attention of the last pass), as blocks/N gives its blocks.
        using var first = JsonDocument.Parse(await Client.GetStringAsync($"{url}/blocks?count=2"));
        Assert.Equal(await Client.GetStringAsync($"{url}/blocks/1"), first.RootElement[1].GetRawText());

        // Bad ranges and selections say what is wrong.
        await ExpectErrorAsync($"{url}/blocks?from=46", HttpStatusCode.BadRequest, "the session has blocks 0..45");
        await ExpectErrorAsync($"{url}/blocks?from=-1", HttpStatusCode.BadRequest, "the session has blocks 0..45");
        await ExpectErrorAsync($"{url}/blocks?count=0", HttpStatusCode.BadRequest, "count must be 1..100, not 0");
        await ExpectErrorAsync($"{url}/blocks?count=101", HttpStatusCode.BadRequest, "count must be 1..100, not 101");
        await ExpectErrorAsync($"{url}/blocks?layer=9", HttpStatusCode.BadRequest, "layer must be in 0..2");
        await ExpectErrorAsync($"/api/sessions/{Guid.NewGuid()}/timeline/blocks", HttpStatusCode.NotFound, "has no timeline");
    }

    [Fact]
    public async Task WarmUp_OpensAFinishedRunsTimelineAndAfterAStartTheLatest_SoTheirFirstVisitFindsThemLoaded()
    {
        // Arrange
        var recording = await Client.UploadRecordingAsync(ApiCalls.ExampleFiles(), "warm-up");
        var warmUp = fixture.Host.Services.GetRequiredService<AvatarLab.Server.Timeline.TimelineWarmUp>();
        var timelines = fixture.Host.Services.GetRequiredService<AvatarLab.Server.Timeline.SessionTimelines>();

        // Act (1): a run succeeds; nobody opens it.
        var id = await fixture.Host.RunToSuccessAsync(Client, new RunRequest { ModelId = await Client.ReferenceModelIdAsync(), RecordingId = recording.Id, Seed = 3 });
        var sha = await fixture.Host.QueryAsync(db => Task.FromResult(db.Sessions.Single(s => s.Id == id).TelemetrySha256!));
        await warmUp.WarmedInBackground(id);

        // Assert (1): the worker had its timeline opened, under its content key, as the page's requests find it.
        var timeline = timelines.Loaded(id, sha);
        Assert.NotNull(timeline);
        Assert.Equal(500, timeline.Summary.Frames);

        // Act (2): what the server does in the background after it starts.
        var warmed = await warmUp.WarmAsync(CancellationToken.None);

        // Assert (2): the newest run.
        Assert.Equal(id, warmed);
        Assert.Same(timeline, timelines.Loaded(id, sha));
    }

    [Fact]
    public async Task Run_WithAttentionOfEveryPass_ExportsAnyPassAndRejectsAnUnknownCapture()
    {
        // Arrange
        var recording = await Client.UploadRecordingAsync(ApiCalls.ExampleFiles(), "every pass");
        var model = await Client.ReferenceModelIdAsync();

        // Act
        var id = await fixture.Host.RunToSuccessAsync(Client, new RunRequest { ModelId = model, RecordingId = recording.Id, Seed = 3, Attention = "EveryStep" });
        var wrong = await Client.PostAsync("/api/sessions", System.Net.Http.Json.JsonContent.Create(
            new RunRequest { ModelId = model, RecordingId = recording.Id, Attention = "Sometimes" }), default);

        // Assert: pass 1 (all new frames noisy) and the last pass of one block both export; the bad capture is named.
        foreach (var step in new[] { 0, 8 })
        {
            var response = await Client.GetAsync($"/api/sessions/{id}/timeline/cross-attention?format=csv&block=7&step={step}");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        Assert.Contains("attention 'Sometimes' is unknown (FinalStep, EveryStep, Off)", await ApiCalls.ErrorOfAsync(wrong));
    }

    private async Task ExpectErrorAsync(string url, HttpStatusCode status, string message)
    {
        var response = await Client.GetAsync(url);
        Assert.Equal(status, response.StatusCode);
        Assert.Contains(message, await ApiCalls.ErrorOfAsync(response));
    }
}
