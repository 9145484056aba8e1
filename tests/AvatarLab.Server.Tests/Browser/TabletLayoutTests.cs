using System.Text.RegularExpressions;
using AvatarLab.Client.Contracts;
using AvatarLab.Server.Tests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace AvatarLab.Server.Tests.Browser;

/// <summary>The pages at a tablet's size (820 x 1180, portrait): nothing wider than the screen, the menu reachable.</summary>
[Collection(BrowserCollection.Name)]
public sealed class TabletLayoutTests(BrowserFixture fixture)
{
    private const int Width = 820;

    [Fact]
    public async Task Pages_AtTabletWidth_FitTheScreenAndTheMenuNavigates()
    {
        // Arrange: a finished session to open, run through the API.
        using var api = await fixture.Host.RegisterAsync($"tablet-{Guid.NewGuid():N}@avatarlab.test");
        var recording = await api.UploadRecordingAsync(ApiCalls.ExampleFiles(), "tablet");
        var id = await fixture.Host.RunToSuccessAsync(api, new RunRequest { ModelId = await api.ReferenceModelIdAsync(), RecordingId = recording.Id, Seed = 3 });
        var page = await fixture.NewSignedInPageAsync();
        await page.SetViewportSizeAsync(Width, 1180);

        // Act + Assert: every page fits the width (no sideways scrolling).
        foreach (var path in new[] { "/", "/sessions", "/recordings", "/models", $"/sessions/{id}" })
        {
            await BrowserFixture.GotoInteractiveAsync(page, path);
            var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - window.innerWidth");
            Assert.True(overflow <= 0, $"{path} is {overflow} px wider than the {Width} px screen");
        }

        // The probe itself sees overflow: a too-wide element makes it positive.
        var probed = await page.EvaluateAsync<int>("""
            () => {
              const d = document.createElement('div');
              d.style.width = '2000px';
              d.style.height = '1px';
              document.querySelector('.mud-main-content').appendChild(d);
              const o = document.documentElement.scrollWidth - window.innerWidth;
              d.remove();
              return o;
            }
            """);
        Assert.True(probed > 0, "the overflow probe did not see a 2000 px element");

        // The session page: the avatar video and the motion chart lie inside the screen.
        await Expect(page.GetByTestId("status-chip")).ToHaveTextAsync("Succeeded");
        foreach (var testId in new[] { "avatar-video", "motion-chart" })
        {
            var box = await page.GetByTestId(testId).BoundingBoxAsync();
            Assert.NotNull(box);
            Assert.True(box.X >= 0 && box.X + box.Width <= Width, $"{testId} spans {box.X}..{box.X + box.Width} px");
        }

        // The menu: below the desktop breakpoint the drawer opens over the page from the menu button.
        // Whether it is open is read from its class (mud-drawer--open / --closed), not from where
        // its links happen to be while it slides.
        var drawer = page.Locator(".mud-drawer");
        await Expect(drawer).ToHaveClassAsync(new Regex("mud-drawer--(open|closed)"));
        if (!(await drawer.GetAttributeAsync("class") ?? "").Contains("mud-drawer--open", StringComparison.Ordinal))
        {
            await page.GetByLabel("Menu").ClickAsync();
        }

        await Expect(drawer).ToHaveClassAsync(new Regex("mud-drawer--open"));
        var nav = drawer.GetByRole(AriaRole.Link, new() { Name = "Recordings" });
        await Expect(nav).ToBeInViewportAsync();
        await nav.ClickAsync();
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/recordings");
        await Expect(page.GetByTestId("recording-table")).ToBeVisibleAsync();
        await page.Context.CloseAsync();
    }
}
