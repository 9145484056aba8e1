using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using AvatarLab.Inference.Audio;

namespace AvatarLab.Inference.Rendering;

/// <summary>
/// Streams rendered frames into an MP4 file (H.264, yuv420p, <c>+faststart</c> so browsers play
/// it before it has fully downloaded) by piping raw RGBA to ffmpeg's stdin; an optional mono
/// track (the avatar's audio) is muxed as AAC from a temporary WAV file at its own sample rate.
/// </summary>
/// <example>
/// <code>
/// await using var mp4 = Mp4Exporter.Start("out.mp4", 256, 256, fps: 25, audio);
/// foreach (var frame in frames) { mp4.WriteFrame(frame); }
/// await mp4.CompleteAsync();
/// </code>
/// </example>
/// <remarks>Not thread-safe. Disposing before <see cref="CompleteAsync"/> stops ffmpeg and
/// deletes the partial file. Without ffmpeg, <see cref="PngSequenceWriter"/> writes frames.</remarks>
public sealed class Mp4Exporter : IAsyncDisposable, IDisposable
{
    /// <summary>The error when there is no ffmpeg to run.</summary>
    public const string FfmpegMissingMessage = "MP4 export needs ffmpeg; install it (apt-get install ffmpeg)";

    // Enough of ffmpeg's stderr to hold the reason of a failure (it prints it last).
    private const int StderrLinesKept = 12;

    private readonly Process _process;
    private readonly Stream _stdin;
    private readonly Task _stderrReader;
    private readonly Queue<string> _stderrTail = new();
    private readonly string _path;
    private readonly string? _wavPath;
    private readonly int _frameBytes;
    private bool _finished;

    private Mp4Exporter(Process process, string path, string? wavPath, int frameBytes)
    {
        _process = process;
        _path = path;
        _wavPath = wavPath;
        _frameBytes = frameBytes;
        _stdin = process.StandardInput.BaseStream;
        _stderrReader = ReadStderrAsync(process.StandardError);
    }

    /// <summary>The temporary WAV of the audio track while the export runs (tests check its cleanup).</summary>
    internal string? AudioTempPath => _wavPath;

    /// <summary>Frames written so far.</summary>
    public int FramesWritten { get; private set; }

    /// <summary>Starts ffmpeg writing <paramref name="path"/> (overwritten if it exists).</summary>
    /// <param name="path">The MP4 file to write.</param>
    /// <param name="width">Frame width; even (yuv420p halves the chroma planes).</param>
    /// <param name="height">Frame height; even.</param>
    /// <param name="fps">Frames per second: the model's fps.</param>
    /// <param name="audio">Optional mono audio, muxed from time 0.</param>
    /// <param name="ffmpegPath">An ffmpeg executable; null searches PATH.</param>
    /// <exception cref="Mp4ExportException">ffmpeg is missing or cannot start.</exception>
    public static Mp4Exporter Start(string path, int width, int height, double fps, AudioClip? audio = null, string? ffmpegPath = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(fps);
        if (width % 2 != 0 || height % 2 != 0)
        {
            throw new ArgumentException($"H.264 yuv420p needs even frame sizes; got {width}x{height}.", nameof(width));
        }

        var ffmpeg = FfmpegLocator.Find(ffmpegPath) ?? throw new Mp4ExportException(FfmpegMissingMessage);
        string? wavPath = null;
        if (audio is not null)
        {
            wavPath = Path.Combine(Path.GetTempPath(), $"avatarlab-export-{Guid.NewGuid():N}.wav");
            WavFileWriter.Write(wavPath, audio.Samples, audio.SampleRate);
        }

        var start = new ProcessStartInfo(ffmpeg)
        {
            RedirectStandardInput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            CreateNoWindow = true,
        };
        foreach (var argument in Arguments(path, width, height, fps, wavPath))
        {
            start.ArgumentList.Add(argument);
        }

        var process = new Process { StartInfo = start };
        try
        {
            process.Start();
        }
        catch (Win32Exception ex)
        {
            process.Dispose();
            DeleteQuietly(wavPath);
            throw new Mp4ExportException($"{FfmpegMissingMessage} ('{ffmpeg}' could not be started: {ex.Message})", ex);
        }

        return new Mp4Exporter(process, path, wavPath, checked(width * height * 4));
    }

    /// <summary>Appends one frame: width * height RGBA8888 bytes, row-major from the top-left.</summary>
    /// <exception cref="Mp4ExportException">ffmpeg has stopped (its last error lines are in the message).</exception>
    public void WriteFrame(ReadOnlySpan<byte> rgba)
    {
        ObjectDisposedException.ThrowIf(_finished, this);
        if (rgba.Length != _frameBytes)
        {
            throw new ArgumentException($"a frame is {_frameBytes} bytes; got {rgba.Length}.", nameof(rgba));
        }

        try
        {
            _stdin.Write(rgba);
        }
        catch (IOException ex)
        {
            // A broken pipe: ffmpeg exited; its stderr says why.
            _process.WaitForExit();
            _stderrReader.GetAwaiter().GetResult();
            var message = FailureMessage();
            Abort();
            throw new Mp4ExportException(message, ex);
        }

        FramesWritten++;
    }

    /// <summary>Closes the stream and waits for ffmpeg to finish the file.</summary>
    /// <exception cref="Mp4ExportException">ffmpeg failed (its last error lines are in the message).</exception>
    public async Task CompleteAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_finished, this);
        try
        {
            try
            {
                await _stdin.FlushAsync(cancellationToken);
                _stdin.Close();
            }
            catch (IOException)
            {
                // ffmpeg already exited: the exit code and stderr below tell why.
            }

            await _process.WaitForExitAsync(cancellationToken);
            await _stderrReader;
            if (_process.ExitCode != 0)
            {
                var message = FailureMessage();
                Abort();
                throw new Mp4ExportException(message);
            }

            _finished = true;
            _process.Dispose();
            DeleteQuietly(_wavPath);
        }
        catch (OperationCanceledException)
        {
            Abort();
            throw;
        }
    }

    /// <summary>Stops ffmpeg and deletes the partial file unless <see cref="CompleteAsync"/> finished.</summary>
    public void Dispose()
    {
        if (!_finished)
        {
            Abort();
        }
    }

    /// <inheritdoc cref="Dispose"/>
    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    private static IEnumerable<string> Arguments(string path, int width, int height, double fps, string? wavPath)
    {
        var rate = fps.ToString(CultureInfo.InvariantCulture);
        string[] video =
        [
            "-hide_banner", "-loglevel", "error", "-y",
            "-f", "rawvideo", "-pix_fmt", "rgba", "-s", $"{width}x{height}", "-framerate", rate, "-i", "pipe:0",
        ];
        foreach (var a in video)
        {
            yield return a;
        }

        if (wavPath is not null)
        {
            foreach (var a in new[] { "-i", wavPath, "-map", "0:v:0", "-map", "1:a:0", "-c:a", "aac", "-b:a", "128k" })
            {
                yield return a;
            }
        }

        // A keyframe every second (-g, with scene-cut keyframes off so the interval is exact): the
        // timeline seeks the video on every scrub, and a seek decodes from the keyframe before the
        // target, so libx264's default of 250 frames made a random seek decode up to 10 s of video.
        var gop = KeyframeInterval(fps).ToString(CultureInfo.InvariantCulture);
        string[] output =
        [
            "-c:v", "libx264", "-preset", "veryfast", "-crf", "18", "-g", gop, "-keyint_min", gop, "-sc_threshold", "0",
            "-pix_fmt", "yuv420p", "-movflags", "+faststart", path,
        ];
        foreach (var a in output)
        {
            yield return a;
        }
    }

    /// <summary>Frames between keyframes: one second of video, at least one frame.</summary>
    internal static int KeyframeInterval(double fps) => Math.Max(1, (int)Math.Round(fps));

    private static void DeleteQuietly(string? path)
    {
        if (path is null)
        {
            return;
        }

        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A temp file left behind is harmless; the export's own error matters more.
        }
    }

    private async Task ReadStderrAsync(StreamReader reader)
    {
        while (await reader.ReadLineAsync() is { } line)
        {
            lock (_stderrTail)
            {
                _stderrTail.Enqueue(line);
                if (_stderrTail.Count > StderrLinesKept)
                {
                    _stderrTail.Dequeue();
                }
            }
        }
    }

    private string FailureMessage()
    {
        string tail;
        lock (_stderrTail)
        {
            tail = string.Join(Environment.NewLine, _stderrTail);
        }

        var code = _process.HasExited ? _process.ExitCode.ToString(CultureInfo.InvariantCulture) : "?";
        return $"ffmpeg failed writing '{_path}' (exit code {code}) after {FramesWritten} frames:{Environment.NewLine}{tail}";
    }

    private void Abort()
    {
        _finished = true;
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill();
                _process.WaitForExit();
            }
        }
        catch (InvalidOperationException)
        {
            // Never started or already reaped.
        }

        _process.Dispose();
        DeleteQuietly(_wavPath);
        DeleteQuietly(_path);
    }
}
