using System.Diagnostics;
using System.Net.Http.Json;
using AvatarLab.Client.Contracts;
using AvatarLab.Server.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace AvatarLab.Server.Tests.Browser;

[Collection(BrowserCollection.Name)]
public sealed class FaceTrackingUploadTests(BrowserFixture fixture) : IDisposable
{
    // 3 s at 25 fps: 75 frames to track, short enough for the wasm tracker on a CI core.
    private const double Seconds = 3;
    private readonly string _dir = Directory.CreateTempSubdirectory("avatarlab-facetrack-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Recordings_FaceVideoWithoutMotionTrack_TrackedInTheBrowserAndListedAsSuch()
    {
        // Arrange: an MP4 of a real face (a photograph shipped in @vladmandic/human, the crop the
        // face tracker's own tests use) with a tone, and the user's audio of the same length.
        var video = MakeFaceVideo();
        var audio = Path.Combine(_dir, "user.wav");
        await File.WriteAllBytesAsync(audio, TestMedia.Wav(Seconds, seed: 5));
        var page = await fixture.NewSignedInPageAsync();
        await BrowserFixture.GotoInteractiveAsync(page, "/recordings");
        await UploadWatch.StartAsync(page);
        var name = $"tracked {Guid.NewGuid():N}"[..20];

        // Act
        await page.GetByTestId("recording-name").FillAsync(name);
        await page.GetByTestId("recording-name").PressAsync("Tab");
        await page.GetByTestId("file-user_video").SetInputFilesAsync(video);
        await page.GetByTestId("file-user_audio").SetInputFilesAsync(audio);
        await page.GetByTestId("recording-upload-button").ClickAsync();

        // Assert: tracking, then the upload; the row says where the motion track came from.
        var done = page.GetByTestId("recording-upload-done").Or(page.GetByTestId("recording-upload-error"));
        await Expect(done).ToBeVisibleAsync(new() { Timeout = 180_000 });
        await Expect(page.GetByTestId("recording-upload-done")).ToHaveTextAsync("Recording uploaded and checked.");
        Assert.Contains(await UploadWatch.TextsAsync(page, "recording-upload-stage"), t => t.StartsWith("Tracking the face", StringComparison.Ordinal));
        var row = page.GetByTestId("recording-table").Locator("tr", new() { HasText = name });
        await Expect(row).ToContainTextAsync("UserMotion: user_motion.tracked.csv");
        await Expect(row).ToContainTextAsync("tracked in the browser");

        // ... and the stored track covers the video.
        using var client = await fixture.Host.SignInAsync(BrowserFixture.Email);
        var recordings = await client.GetFromJsonAsync<List<RecordingSummary>>("/api/recordings");
        var motion = Assert.Single(Assert.Single(recordings!, r => r.Name == name).Files, f => f.Kind == "UserMotion");
        Assert.Equal("BrowserTracking", motion.MotionSource);
        Assert.Equal(Seconds, motion.DurationSeconds!.Value, 0.1);
        await page.Context.CloseAsync();
    }

    private string MakeFaceVideo()
    {
        var photo = RepoPaths.Server(Path.Combine("node_modules", "@vladmandic", "human", "assets", "screenshot-faceid.jpg"));
        Assert.True(File.Exists(photo), $"{photo} is missing: run `npm ci` in src/AvatarLab.Server");
        var output = Path.Combine(_dir, "face.mp4");
        var start = new ProcessStartInfo("ffmpeg") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var arg in new[]
        {
            "-hide_banner", "-loglevel", "error", "-y",
            "-loop", "1", "-framerate", "25", "-i", photo,
            "-f", "lavfi", "-i", $"sine=frequency=330:sample_rate=16000:duration={Seconds}",
            "-filter_complex", "[0:v]crop=136:136:16:146,scale=260:260,pad=480:360:110:50:black,setsar=1,format=yuv420p[v]",
            "-map", "[v]", "-map", "1:a", "-t", $"{Seconds}", "-r", "25",
            "-c:v", "libx264", "-preset", "veryfast", "-threads", "1", "-c:a", "aac", "-movflags", "+faststart", output,
        })
        {
            start.ArgumentList.Add(arg);
        }

        using var ffmpeg = Process.Start(start)!;
        var error = ffmpeg.StandardError.ReadToEnd();
        ffmpeg.WaitForExit();
        Assert.True(ffmpeg.ExitCode == 0, $"ffmpeg could not make the face video: {error}");
        return output;
    }
}
