using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using AvatarLab.Client.Contracts;
using AvatarLab.Server.Tests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace AvatarLab.Server.Tests.Browser;

/// <summary>
/// The session page's one timeline: open it at a moment, scrub, step, and check that every view
/// shows that frame, against the numbers the export API gives for the same charts.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class TimelineTests(BrowserFixture fixture)
{
    [Fact]
    public async Task SessionPage_OpenedAtAMomentAndScrubbed_ShowsThatFramesBlockAttentionAndCurves()
    {
        // Arrange: a finished run of the example conversation (20 s, 500 frames).
        using var api = await fixture.Host.RegisterAsync($"timeline-{Guid.NewGuid():N}@avatarlab.test");
        var recording = await api.UploadRecordingAsync(ApiCalls.ExampleFiles(), "timeline");
        var id = await fixture.Host.RunToSuccessAsync(api, new RunRequest { ModelId = await api.ReferenceModelIdAsync(), RecordingId = recording.Id, Seed = 5 });
        var latency = await ColumnsAsync(api, $"api/sessions/{id}/timeline/latency?format=json");
        int BlockOf(int frame) => Enumerable.Range(0, latency["block"].Length)
            .Single(i => latency["first_frame"][i] <= frame && frame < latency["first_frame"][i] + latency["new_frames"][i]);
        var page = await fixture.NewSignedInPageAsync();

        // Act (1): open the page at t = 12.36 s.
        await BrowserFixture.GotoInteractiveAsync(page, $"/sessions/{id}?t=12.36");
        var timeline = page.GetByTestId("timeline");
        await Expect(timeline).ToHaveAttributeAsync("data-charts-ready", "true", new() { Timeout = 60_000 });

        // Assert (1): frame 309 everywhere: clock, block readout, block views, curve values.
        await ExpectFrameAsync(page, 309, BlockOf(309));
        await Expect(page.GetByTestId("player-time")).ToHaveTextAsync("t = 12.36 s");
        await ExpectAttentionAndCurvesAsync(page, api, id, 309, BlockOf(309));
        // Once the charts are drawn, every block's views come into the browser (the preload, for the
        // default selection ",,,": last pass, mean of layers, heads and branches); from then on a
        // scrub asks the server for no block.
        await Expect(timeline).ToHaveAttributeAsync("data-blocks-preloaded", ",,,", new() { Timeout = 30_000 });
        var blockRequests = new System.Collections.Concurrent.ConcurrentQueue<string>();
        page.Request += (_, request) =>
        {
            if (request.Url.Contains("/timeline/blocks", StringComparison.Ordinal))
            {
                blockRequests.Enqueue(request.Url);
            }
        };

        // Act (2): scrub with the slider to 4.0 s, then step one frame on.
        await page.GetByTestId("tl-slider").FillAsync("4");
        await ExpectFrameAsync(page, 100, BlockOf(100));
        await page.GetByTestId("tl-forward").ClickAsync();

        // Assert (2)
        await ExpectFrameAsync(page, 101, BlockOf(101));
        await ExpectAttentionAndCurvesAsync(page, api, id, 101, BlockOf(101));
        Assert.Empty(blockRequests);
        // The address follows the playhead once it rests; the block views' export links name its block.
        await page.WaitForURLAsync(new Regex(@"[?&]t=4\.06$"));
        await Expect(page.GetByTestId("export-block-schedule-csv")).ToHaveAttributeAsync("href", new Regex($"[?&]block={BlockOf(101)}(&|$)"));
        await Expect(page.GetByTestId("export-self-attention-json")).ToHaveAttributeAsync("href", new Regex($"[?&]block={BlockOf(101)}(&|$)"));

        // The block view's PNG: plotly.js draws it with its colour bar (the page shows ColorScale instead).
        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByTestId("export-self-attention-png").ClickAsync());
        Assert.Equal($"session-{id:N}-self-attention.png", download.SuggestedFilename);
        await using (var png = await download.CreateReadStreamAsync())
        {
            var head = new byte[24];
            await png.ReadExactlyAsync(head);
            Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, head[..4]);
            var width = System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(head.AsSpan(16));
            var chartWidth = await page.Locator("#chart-self-attention").EvaluateAsync<int>("d => d._fullLayout.width");
            Assert.Equal(chartWidth * 2, width); // scale 2, the chart's own width
        }

        // Act (3): click the session's schedule heatmap near its right end.
        var plot = page.Locator("#chart-schedule .nsewdrag");
        await plot.ScrollIntoViewIfNeededAsync();
        var box = await plot.BoundingBoxAsync();
        Assert.NotNull(box);
        await page.Mouse.ClickAsync(box.X + box.Width * 0.9f, box.Y + box.Height / 2);

        // Assert (3): the playhead jumped to about 90% of the 20 s.
        await Expect(timeline).ToHaveAttributeAsync("data-time", new Regex(@"^1[78]\.\d\d$"));
        var frame = int.Parse(await timeline.GetAttributeAsync("data-frame") ?? "", CultureInfo.InvariantCulture);
        await ExpectFrameAsync(page, frame, BlockOf(frame));
        await page.Context.CloseAsync();
    }

    /// <summary>The readouts and the block views all show <paramref name="frame"/> of <paramref name="block"/>.</summary>
    private static async Task ExpectFrameAsync(IPage page, int frame, int block)
    {
        await Expect(page.GetByTestId("timeline")).ToHaveAttributeAsync("data-shown-frame", frame.ToString(CultureInfo.InvariantCulture));
        await Expect(page.GetByTestId("player-frame")).ToHaveTextAsync($"frame {frame} · block {block}");
        await Expect(page.GetByTestId("frame-block")).ToHaveAttributeAsync("data-block", block.ToString(CultureInfo.InvariantCulture));
        await Expect(page.GetByTestId("block-schedule-chart")).ToHaveAttributeAsync("data-block", block.ToString(CultureInfo.InvariantCulture));
        await Expect(page.GetByTestId("self-attention-chart")).ToHaveAttributeAsync("data-block", block.ToString(CultureInfo.InvariantCulture));
        await Expect(page.GetByTestId("block-schedule-title")).ToContainTextAsync($"Block {block}");
    }

    private static async Task ExpectAttentionAndCurvesAsync(IPage page, HttpClient api, Guid id, int frame, int block)
    {
        // The strongest self-attention key of the frame's row (mean over layers, heads and branches), from the export.
        var attention = await ColumnsAsync(api, $"api/sessions/{id}/timeline/self-attention?format=json&block={block}");
        var row = Enumerable.Range(0, attention["query_frame"].Length).Where(i => attention["query_frame"][i] == frame).ToList();
        Assert.NotEmpty(row);
        var best = row.MaxBy(i => attention["weight"][i]);
        var expected = $"strongest self-attention on frame {attention["key_frame"][best]:0} ({attention["weight"][best].ToString("0.000", CultureInfo.InvariantCulture)})";
        await Expect(page.GetByTestId("attention-readout")).ToContainTextAsync($"Frame {frame},");
        await Expect(page.GetByTestId("attention-readout")).ToContainTextAsync(expected);
        // The colour scales beside the block views: the block's largest weight, and t's fixed 1000.
        var largest = row.Count == 0 ? 0 : attention["weight"].Where(w => !double.IsNaN(w)).Max();
        await Expect(page.GetByTestId("scale-chart-self-attention-max")).ToHaveTextAsync(
            AvatarLab.Server.Components.Timeline.ColorScale.Format(largest));
        await Expect(page.GetByTestId("scale-chart-block-schedule-max")).ToHaveTextAsync("1000");

        // The curve values at the frame, from the motion export; and the schedule row.
        var motion = await ColumnsAsync(api, $"api/sessions/{id}/timeline/motion?format=json");
        var cells = page.GetByTestId("motion-values-generated").Locator("td");
        await Expect(cells.Nth(4)).ToHaveTextAsync(motion["jaw_open"][frame].ToString("0.000", CultureInfo.InvariantCulture));
        await Expect(cells.Nth(2)).ToHaveTextAsync(motion["head_pitch"][frame].ToString("0.000", CultureInfo.InvariantCulture));
        var schedule = await ColumnsAsync(api, $"api/sessions/{id}/timeline/schedule?format=json");
        var passes = schedule.Keys.Where(k => k.StartsWith("t_pass", StringComparison.Ordinal)).OrderBy(k => int.Parse(k[6..], CultureInfo.InvariantCulture));
        await Expect(page.GetByTestId("frame-schedule")).ToContainTextAsync(
            string.Join(" → ", passes.Select(p => schedule[p][frame].ToString("0", CultureInfo.InvariantCulture))));
    }

    private static async Task<Dictionary<string, double[]>> ColumnsAsync(HttpClient api, string url)
    {
        using var doc = JsonDocument.Parse(await api.GetStringAsync(url));
        return doc.RootElement.GetProperty("columns").EnumerateObject().ToDictionary(c => c.Name,
            c => c.Value.EnumerateArray().Select(v => v.ValueKind == JsonValueKind.Null ? double.NaN : v.GetDouble()).ToArray());
    }
}
