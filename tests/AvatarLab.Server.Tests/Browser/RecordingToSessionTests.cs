using System.Text.RegularExpressions;
using AvatarLab.Server.Tests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace AvatarLab.Server.Tests.Browser;

[Collection(BrowserCollection.Name)]
public sealed partial class RecordingToSessionTests(BrowserFixture fixture)
{
    [Fact]
    public async Task Recordings_UploadWavAndTrackThenRunFromDialog_SessionSucceedsAndItsVideoPlays()
    {
        // Arrange
        var page = await fixture.NewSignedInPageAsync();
        await BrowserFixture.GotoInteractiveAsync(page, "/recordings");
        await UploadWatch.StartAsync(page);
        var name = $"browser upload {Guid.NewGuid():N}"[..24];

        // Act (1): fill the form and upload.
        await page.GetByTestId("recording-name").FillAsync(name);
        await page.GetByTestId("recording-name").PressAsync("Tab");
        await page.GetByTestId("file-avatar_audio").SetInputFilesAsync(RepoPaths.Example("avatar.wav"));
        await page.GetByTestId("file-user_audio").SetInputFilesAsync(RepoPaths.Example("user.wav"));
        await page.GetByTestId("file-user_motion").SetInputFilesAsync(RepoPaths.Example("user_motion.csv"));
        await page.GetByTestId("recording-upload-button").ClickAsync();

        // Assert (1): the progress bar showed, then the success message and the new row.
        await Expect(page.GetByTestId("recording-upload-done")).ToHaveTextAsync("Recording uploaded and checked.", new() { Timeout = 60_000 });
        Assert.Contains("recording-upload-progress", await UploadWatch.SeenAsync(page));
        var row = page.GetByTestId("recording-table").Locator("tr", new() { HasText = name });
        await Expect(row).ToContainTextAsync("UserMotion");

        // Act (2): run it from the run dialog with a chosen seed.
        await row.GetByTestId("run-recording").ClickAsync();
        await page.GetByTestId("run-seed").FillAsync("11");
        await page.GetByTestId("run-seed").PressAsync("Tab");
        await page.GetByTestId("run-submit").ClickAsync();

        // Assert (2): the session page follows the run to the end.
        await page.WaitForURLAsync(SessionUrl());
        await Expect(page.GetByTestId("session-name")).ToContainTextAsync(name);
        await Expect(page.GetByTestId("status-chip")).ToHaveTextAsync("Succeeded", new() { Timeout = 180_000 });
        await Expect(page.GetByTestId("session-device")).ToContainTextAsync("ran on");
        await Expect(page.GetByTestId("p95")).ToHaveTextAsync(new Regex(@"^\d+(\.\d)? ms$"));
        await Expect(page.GetByTestId("download-video")).ToHaveAttributeAsync("href", new Regex("api/sessions/.+/video$"));

        // Act (3): click the avatar video (with native controls, a click on the picture plays it).
        var video = page.GetByTestId("avatar-video");
        await page.WaitForFunctionAsync("() => document.querySelector('[data-testid=avatar-video]').readyState >= 3");
        Assert.True(await video.EvaluateAsync<bool>("v => v.paused && v.currentTime === 0"), "the video played before the click");
        await video.ClickAsync();

        // Assert (3): playback time advances (and the page's clock follows it).
        await page.WaitForFunctionAsync("() => document.querySelector('[data-testid=avatar-video]').currentTime > 0.5", null,
            new PageWaitForFunctionOptions { Timeout = 30_000 });
        await Expect(page.GetByTestId("player-time")).Not.ToHaveTextAsync("t = 0.00 s");
        await page.Context.CloseAsync();
    }

    [GeneratedRegex("/sessions/[0-9a-f-]{36}$")]
    private static partial Regex SessionUrl();
}

/// <summary>
/// Records which transient upload elements (progress bar, stage line) appeared: on localhost the
/// upload takes milliseconds, too short to catch with a locator, but never too short for a
/// MutationObserver installed before the click.
/// </summary>
internal static class UploadWatch
{
    public static Task StartAsync(IPage page) => page.EvaluateAsync("""
        () => {
          window.__uploadSeen = {};
          new MutationObserver(() => {
            for (const id of ['recording-upload-progress', 'recording-upload-stage']) {
              const el = document.querySelector(`[data-testid=${id}]`);
              if (el) (window.__uploadSeen[id] ??= new Set()).add(el.textContent.trim());
            }
          }).observe(document.body, { childList: true, subtree: true, characterData: true });
        }
        """);

    /// <summary>The test ids seen so far.</summary>
    public static async Task<string[]> SeenAsync(IPage page) => await page.EvaluateAsync<string[]>("() => Object.keys(window.__uploadSeen)");

    /// <summary>The texts an element showed (e.g. the stage line: tracking, then uploading).</summary>
    public static async Task<string[]> TextsAsync(IPage page, string testId) =>
        await page.EvaluateAsync<string[]>("id => [...(window.__uploadSeen[id] ?? [])]", testId);
}
