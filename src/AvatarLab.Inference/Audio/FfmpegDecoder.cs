using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;

namespace AvatarLab.Inference.Audio;

/// <summary>
/// Decodes a file's first audio stream with ffmpeg to 32-bit float mono at the target rate,
/// read from its stdout (<c>-f f32le pipe:1</c>); stderr is kept for the error message.
/// </summary>
internal static class FfmpegDecoder
{
    public static async Task<float[]> DecodeAsync(
        string ffmpeg, string path, string formatName, int targetRate, double maxSeconds, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var name = Path.GetFileName(path);
        var start = new ProcessStartInfo(ffmpeg)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            CreateNoWindow = true,
        };
        foreach (var argument in Arguments(path, targetRate))
        {
            start.ArgumentList.Add(argument);
        }

        using var process = new Process { StartInfo = start };
        try
        {
            process.Start();
        }
        catch (Win32Exception ex)
        {
            throw new AudioFormatException(
                $"'{name}' needs ffmpeg to decode {formatName}, and '{ffmpeg}' could not be started ({ex.Message}); " +
                "install it (apt-get install ffmpeg) or convert to WAV", ex);
        }

        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutSource.CancelAfter(timeout);
        var stderr = process.StandardError.ReadToEndAsync(timeoutSource.Token);
        try
        {
            // One sample more than the limit is enough to know the file is too long.
            var maxBytes = ((long)Math.Ceiling(maxSeconds * targetRate) + 1) * sizeof(float);
            var pcm = await ReadLimitedAsync(process.StandardOutput.BaseStream, maxBytes, timeoutSource.Token);
            if (pcm.Length >= maxBytes)
            {
                throw new AudioFormatException(string.Create(CultureInfo.InvariantCulture,
                    $"'{name}' is longer than the limit of {maxSeconds:0.#} s"));
            }

            await process.WaitForExitAsync(timeoutSource.Token);
            var error = await stderr;
            if (process.ExitCode != 0)
            {
                throw new AudioFormatException(FailureMessage(name, formatName, process.ExitCode, error));
            }

            return MemoryMarshal.Cast<byte, float>(pcm.AsSpan(0, pcm.Length / sizeof(float) * sizeof(float))).ToArray();
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new AudioFormatException($"ffmpeg took longer than {timeout.TotalSeconds:0} s to decode '{name}' and was stopped");
        }
        finally
        {
            StopIfRunning(process);
        }
    }

    private static void StopIfRunning(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // It exited between the check and the kill.
        }
    }

    /// <summary>The ffmpeg command line: quiet, first audio stream only, mono float at the target rate to stdout.</summary>
    internal static IEnumerable<string> Arguments(string path, int targetRate) =>
    [
        "-nostdin", "-hide_banner", "-loglevel", "error",
        "-i", path,
        "-map", "0:a:0", "-vn", "-sn", "-dn",
        // ffmpeg's stereo-to-mono matrix is (L + R) * 0.707 (+3 dB for a centred source);
        // limiting its coefficients' sum to 1 makes it the channel average WavReader takes.
        "-rematrix_maxval", "1",
        "-ac", "1", "-ar", targetRate.ToString(CultureInfo.InvariantCulture),
        "-f", "f32le", "-acodec", "pcm_f32le", "pipe:1",
    ];

    private static async Task<byte[]> ReadLimitedAsync(Stream stdout, long maxBytes, CancellationToken cancellationToken)
    {
        using var collected = new MemoryStream();
        var buffer = new byte[64 * 1024];
        while (collected.Length < maxBytes)
        {
            var read = await stdout.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, maxBytes - collected.Length)), cancellationToken);
            if (read == 0)
            {
                break;
            }

            collected.Write(buffer, 0, read);
        }

        return collected.ToArray();
    }

    private static string FailureMessage(string name, string formatName, int exitCode, string stderr)
    {
        // "-map 0:a:0" on a file without audio: ffmpeg's last line is only a hint about '?'.
        if (stderr.Contains("matches no streams", StringComparison.Ordinal))
        {
            return $"'{name}' has no audio stream";
        }

        var lastLine = stderr.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).LastOrDefault()
            ?? "no message";

        return $"'{name}': ffmpeg could not decode it as {formatName} (exit code {exitCode}): {lastLine}";
    }
}
