using System.Globalization;
using System.Text.Json;
using AvatarLab.Client.Contracts;
using AvatarLab.Server.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace AvatarLab.Server.Tests.Browser;

/// <summary>Two runs of one recording (with and without the user's streams) side by side on one timeline.</summary>
[Collection(BrowserCollection.Name)]
public sealed class CompareTests(BrowserFixture fixture)
{
    [Fact]
    public async Task Compare_FromTheSessionPage_ShowsBothRunsValuesDifferencesAndMeasures()
    {
        // Arrange
        using var api = await fixture.Host.RegisterAsync($"compare-{Guid.NewGuid():N}@avatarlab.test");
        var recording = await api.UploadRecordingAsync(ApiCalls.ExampleFiles(), "compare");
        var model = await api.ReferenceModelIdAsync();
        var full = await fixture.Host.RunToSuccessAsync(api, new RunRequest { ModelId = model, RecordingId = recording.Id, Seed = 4, Name = "with user" });
        var dropped = await fixture.Host.RunToSuccessAsync(api, new RunRequest
        {
            ModelId = model, RecordingId = recording.Id, Seed = 4, Name = "without user", Dropped = ["UserAudio", "UserMotion"],
        });
        var page = await fixture.NewSignedInPageAsync();

        // Act: from the first run's page, follow its compare link, then open the comparison at 5 s.
        await BrowserFixture.GotoInteractiveAsync(page, $"/sessions/{full}");
        var link = page.GetByTestId("compare-link");
        await Expect(link).ToHaveTextAsync("without user");
        Assert.EndsWith($"/compare?sessions={full},{dropped}", await link.GetAttributeAsync("href"));
        await BrowserFixture.GotoInteractiveAsync(page, $"/compare?sessions={full},{dropped}&t=5.02");
        await Expect(page.GetByTestId("timeline")).ToHaveAttributeAsync("data-shown-frame", "125", new() { Timeout = 60_000 });

        // Assert: both runs, the channel's values at frame 125 from each run's motion export, and
        // the measures with their difference (dropping the user lowers smile mirroring).
        await Expect(page.GetByTestId("compare-session")).ToHaveCountAsync(2);
        var cells = page.GetByTestId("compare-values").Locator("tbody td");
        await Expect(cells.Nth(1)).ToHaveTextAsync(await JawAsync(api, full, 125));
        await Expect(cells.Nth(2)).ToHaveTextAsync(await JawAsync(api, dropped, 125));
        var smile = page.GetByTestId("compare-measure-SmileMirroring").Locator("td");
        await Expect(smile.Nth(3)).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^[+-]\d"), new() { Timeout = 60_000 });
        var a = double.Parse(await smile.Nth(1).TextContentAsync() ?? "", CultureInfo.InvariantCulture);
        var b = double.Parse(await smile.Nth(2).TextContentAsync() ?? "", CultureInfo.InvariantCulture);
        Assert.True(b < a, $"smile mirroring without the user {b} is not below {a}");
        Assert.Equal(b - a, double.Parse(await smile.Nth(3).TextContentAsync() ?? "", CultureInfo.InvariantCulture), 2);
        // Plotly.Blazor draws after the values show: wait for the traces rather than count them once.
        await Expect(page.Locator("#chart-compare .scatterlayer .trace")).ToHaveCountAsync(3);
        await page.Context.CloseAsync();
    }

    private static async Task<string> JawAsync(HttpClient api, Guid session, int frame)
    {
        using var doc = JsonDocument.Parse(await api.GetStringAsync($"api/sessions/{session}/timeline/motion?format=json"));
        return doc.RootElement.GetProperty("columns").GetProperty("jaw_open")[frame].GetDouble().ToString("0.000", CultureInfo.InvariantCulture);
    }
}
