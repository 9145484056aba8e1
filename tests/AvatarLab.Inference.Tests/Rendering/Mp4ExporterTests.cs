using System.Diagnostics;
using System.Text;
using System.Text.Json;
using AvatarLab.Inference.Audio;
using AvatarLab.Inference.Motion;
using AvatarLab.Inference.Rendering;
using AvatarLab.Inference.Tests.Audio;

namespace AvatarLab.Inference.Tests.Rendering;

public sealed class Mp4ExporterTests
{
    private const int Size = 128;

    [FfmpegFact]
    public async Task CompleteAsync_FiftyFramesWithAudio_WritesH264AndAac()
    {
        using var folder = new TempFolder();
        var path = folder.File("talk.mp4");
        var audio = AudioClip.FromSamples(Signals.Tone(220, 16000, 32000), 16000, "test tone");
        using var renderer = new ParametricFaceRenderer(Size);
        var rgba = new byte[Size * Size * 4];
        var latent = new float[FaceParams.ChannelCount];

        await using (var mp4 = Mp4Exporter.Start(path, Size, Size, 25, audio))
        {
            for (var t = 0; t < 50; t++)
            {
                latent[FaceParams.JawOpen] = t % 10 / 10f;
                renderer.Render(latent, rgba);
                mp4.WriteFrame(rgba);
            }

            await mp4.CompleteAsync();
            Assert.Equal(50, mp4.FramesWritten);
        }

        var streams = await ProbeStreamsAsync(path);
        var video = Assert.Single(streams, s => s.GetProperty("codec_type").GetString() == "video");
        var sound = Assert.Single(streams, s => s.GetProperty("codec_type").GetString() == "audio");
        Assert.Equal("h264", video.GetProperty("codec_name").GetString());
        Assert.Equal("yuv420p", video.GetProperty("pix_fmt").GetString());
        Assert.Equal(Size, video.GetProperty("width").GetInt32());
        Assert.Equal(Size, video.GetProperty("height").GetInt32());
        Assert.Equal("50", video.GetProperty("nb_read_frames").GetString());
        Assert.Equal("aac", sound.GetProperty("codec_name").GetString());
        Assert.Equal("16000", sound.GetProperty("sample_rate").GetString());
        Assert.Equal(2.0, double.Parse(sound.GetProperty("duration").GetString()!, System.Globalization.CultureInfo.InvariantCulture), 0.1);
        Assert.True(MoovPrecedesMdat(path), "+faststart puts the moov box before the media data");
    }

    [FfmpegFact]
    public async Task CompleteAsync_NoAudio_WritesOnlyVideo()
    {
        using var folder = new TempFolder();
        var path = folder.File("silent.mp4");

        await using (var mp4 = Mp4Exporter.Start(path, 16, 16, 25))
        {
            for (var t = 0; t < 5; t++)
            {
                mp4.WriteFrame(new byte[16 * 16 * 4]);
            }

            await mp4.CompleteAsync();
        }

        var stream = Assert.Single(await ProbeStreamsAsync(path));
        Assert.Equal("video", stream.GetProperty("codec_type").GetString());
    }

    [FfmpegFact]
    public async Task CompleteAsync_KeyframeEverySecond_SoASeekDecodesAtMostOneSecond()
    {
        using var folder = new TempFolder();
        var path = folder.File("gop.mp4");
        using var renderer = new ParametricFaceRenderer(32);
        var rgba = new byte[32 * 32 * 4];
        var latent = new float[FaceParams.ChannelCount];

        await using (var mp4 = Mp4Exporter.Start(path, 32, 32, 25))
        {
            for (var t = 0; t < 60; t++)
            {
                // A cut at frame 40 would get its own keyframe from scene-cut detection; it must not.
                latent[FaceParams.JawOpen] = t < 40 ? 0f : 1f;
                latent[FaceParams.HeadYaw] = t < 40 ? -1f : 1f;
                renderer.Render(latent, rgba);
                mp4.WriteFrame(rgba);
            }

            await mp4.CompleteAsync();
        }

        var keyframes = await KeyframesAsync(path);
        Assert.Equal(new[] { 0, 25, 50 }, keyframes);
    }

    [Theory]
    [InlineData(25.0, 25)]
    [InlineData(29.97, 30)]
    [InlineData(0.4, 1)]
    public void KeyframeInterval_IsOneSecondOfFrames(double fps, int expected)
    {
        Assert.Equal(expected, Mp4Exporter.KeyframeInterval(fps));
    }

    [Fact]
    public void Start_NoFfmpeg_SaysHowToInstallIt()
    {
        using var folder = new TempFolder();

        var ex = Assert.Throws<Mp4ExportException>(() => Mp4Exporter.Start(folder.File("x.mp4"), 16, 16, 25, ffmpegPath: folder.File("no-ffmpeg")));

        Assert.Equal(Mp4Exporter.FfmpegMissingMessage, ex.Message);
    }

    [FfmpegFact]
    public async Task CompleteAsync_UnwritablePath_ReportsFfmpegsError()
    {
        using var folder = new TempFolder();
        var path = Path.Combine(folder.File("no-such-folder"), "x.mp4");

        var ex = await Assert.ThrowsAsync<Mp4ExportException>(async () =>
        {
            await using var mp4 = Mp4Exporter.Start(path, 16, 16, 25);
            for (var t = 0; t < 3; t++)
            {
                mp4.WriteFrame(new byte[16 * 16 * 4]);
            }

            await mp4.CompleteAsync();
        });

        Assert.Contains("ffmpeg failed", ex.Message);
        Assert.Contains("No such file or directory", ex.Message);
    }

    [FfmpegFact]
    public void Dispose_BeforeComplete_DeletesThePartialFile()
    {
        using var folder = new TempFolder();
        var path = folder.File("partial.mp4");

        string? wav;
        using (var mp4 = Mp4Exporter.Start(path, 16, 16, 25, AudioClip.FromSamples(new float[1600], 16000, "silence")))
        {
            mp4.WriteFrame(new byte[16 * 16 * 4]);
            wav = mp4.AudioTempPath;
            Assert.True(File.Exists(wav));
        }

        Assert.False(File.Exists(path));
        Assert.False(File.Exists(wav));
    }

    [Fact]
    public void Start_OddSize_Throws()
    {
        Assert.Throws<ArgumentException>(() => Mp4Exporter.Start("x.mp4", 15, 16, 25));
    }

    private static async Task<JsonElement[]> ProbeStreamsAsync(string path)
    {
        var start = new ProcessStartInfo("ffprobe")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { "-v", "error", "-count_frames", "-show_entries", "stream=codec_type,codec_name,width,height,pix_fmt,nb_read_frames,sample_rate,duration", "-of", "json", path })
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, await stderr);
        using var json = JsonDocument.Parse(await stdout);
        return [.. json.RootElement.GetProperty("streams").EnumerateArray().Select(e => e.Clone())];
    }

    private static async Task<int[]> KeyframesAsync(string path)
    {
        var start = new ProcessStartInfo("ffprobe")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { "-v", "error", "-select_streams", "v:0", "-show_entries", "frame=key_frame", "-of", "csv=p=0", path })
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, await stderr);
        // csv=p=0 writes "1," when a frame carries side data, and a blank line for the side data itself.
        var flags = (await stdout).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(f => f.TrimEnd(','))
            .Where(f => f.Length > 0)
            .ToArray();
        Assert.Equal(60, flags.Length);
        return [.. flags.Select((f, i) => (f, i)).Where(x => x.f == "1").Select(x => x.i)];
    }

    private static bool MoovPrecedesMdat(string path)
    {
        // Top-level MP4 boxes: 4-byte big-endian size, 4-byte type.
        var bytes = File.ReadAllBytes(path);
        var order = new List<string>();
        for (long at = 0; at + 8 <= bytes.Length;)
        {
            var size = (long)((uint)bytes[at] << 24 | (uint)bytes[at + 1] << 16 | (uint)bytes[at + 2] << 8 | bytes[at + 3]);
            order.Add(Encoding.ASCII.GetString(bytes, (int)at + 4, 4));
            if (size < 8)
            {
                break;
            }

            at += size;
        }

        return order.IndexOf("moov") >= 0 && order.IndexOf("moov") < order.IndexOf("mdat");
    }
}
