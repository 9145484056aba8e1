using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using AvatarLab.Inference.Audio;

namespace AvatarLab.Server.Services;

/// <summary>What ffprobe says about a video file's first video stream.</summary>
public sealed record VideoInfo(int Width, int Height, double Fps, double DurationSeconds, int Frames, string Codec, bool HasAudio);

/// <summary>Reads a video's size, rate and duration with ffprobe (installed with ffmpeg).</summary>
public static class VideoProbe
{
    public static async Task<VideoInfo> ProbeAsync(string path, string displayName, CancellationToken ct)
    {
        var ffmpeg = FfmpegLocator.Find(null)
            ?? throw new UploadException($"user_video: '{displayName}' needs ffmpeg/ffprobe to be decoded; install ffmpeg (apt-get install ffmpeg)");
        var ffprobe = Path.Combine(Path.GetDirectoryName(ffmpeg)!, "ffprobe");
        var start = new ProcessStartInfo(File.Exists(ffprobe) ? ffprobe : "ffprobe")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "-v", "error", "-show_entries", "stream=codec_type,codec_name,width,height,avg_frame_rate,nb_frames:format=duration", "-of", "json", path })
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start) ?? throw new UploadException("user_video: ffprobe could not be started");
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        var error = (await stderr).Trim();
        if (process.ExitCode != 0)
        {
            throw new UploadException($"user_video: '{displayName}' is not a readable video: {FirstLine(error.Replace(path, displayName, StringComparison.Ordinal))}", StatusCodes.Status415UnsupportedMediaType);
        }

        using var doc = JsonDocument.Parse(await stdout);
        var streams = doc.RootElement.TryGetProperty("streams", out var s) ? s.EnumerateArray().ToList() : [];
        var video = streams.FirstOrDefault(x => x.TryGetProperty("codec_type", out var t) && t.GetString() == "video");
        if (video.ValueKind != JsonValueKind.Object)
        {
            throw new UploadException($"user_video: '{displayName}' has no video stream", StatusCodes.Status415UnsupportedMediaType);
        }

        var hasAudio = streams.Any(x => x.TryGetProperty("codec_type", out var t) && t.GetString() == "audio");
        var width = video.TryGetProperty("width", out var w) ? w.GetInt32() : 0;
        var height = video.TryGetProperty("height", out var h) ? h.GetInt32() : 0;
        var fps = ParseRate(video.TryGetProperty("avg_frame_rate", out var r) ? r.GetString() : null);
        var duration = doc.RootElement.TryGetProperty("format", out var f) && f.TryGetProperty("duration", out var d)
            && double.TryParse(d.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) ? seconds : 0;
        var frames = video.TryGetProperty("nb_frames", out var n) && int.TryParse(n.GetString(), out var count)
            ? count : (int)Math.Round(duration * fps);
        if (width <= 0 || height <= 0 || duration <= 0 || fps <= 0)
        {
            throw new UploadException($"user_video: '{displayName}' has no usable frames (size {width}x{height}, {fps:0.##} fps, {duration:0.##} s)");
        }

        var codec = video.TryGetProperty("codec_name", out var c) ? c.GetString() ?? "" : "";
        return new VideoInfo(width, height, fps, duration, frames, codec, hasAudio);
    }

    private static double ParseRate(string? rate)
    {
        if (rate is null)
        {
            return 0;
        }

        var parts = rate.Split('/');
        return parts.Length == 2
            && double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var num)
            && double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var den) && den > 0
            ? num / den : 0;
    }

    private static string FirstLine(string text)
    {
        var line = text.Split('\n', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? "ffprobe failed";
        return line.Length > 200 ? line[..200] : line;
    }
}
