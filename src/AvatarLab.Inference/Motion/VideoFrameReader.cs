using System.Diagnostics;
using System.Globalization;
using AvatarLab.Inference.Audio;

namespace AvatarLab.Inference.Motion;

/// <summary>
/// Decodes a user video with ffmpeg into square RGB crops at the model's frame rate, in
/// [-1, 1], [3, S, S] per frame, read in batches so an hour of video never sits in memory.
/// The crop is the centred square of the picture: the user video of a webcam session is
/// face-centred by construction; a recording that is not should be cropped before upload.
/// </summary>
public sealed class VideoFrameReader : IDisposable
{
    private readonly Process _process;
    private readonly Stream _stdout;
    private readonly byte[] _frame;
    private readonly string _path;

    private VideoFrameReader(Process process, int size, string path)
    {
        _process = process;
        _stdout = process.StandardOutput.BaseStream;
        Size = size;
        _frame = new byte[3 * size * size];
        _path = path;
    }

    public int Size { get; }

    public static VideoFrameReader Open(string path, int size, int fps, string? ffmpegPath = null)
    {
        var ffmpeg = FfmpegLocator.Find(ffmpegPath)
            ?? throw new ArgumentException($"'{Path.GetFileName(path)}' needs ffmpeg to decode video; install it (apt-get install ffmpeg)");
        var filter = string.Create(CultureInfo.InvariantCulture,
            $"crop='min(iw,ih)':'min(iw,ih)',scale={size}:{size}:flags=area,fps={fps}");
        var start = new ProcessStartInfo(ffmpeg)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "-nostdin", "-v", "error", "-i", path, "-an", "-vf", filter, "-f", "rawvideo", "-pix_fmt", "rgb24", "pipe:1" })
        {
            start.ArgumentList.Add(arg);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("ffmpeg did not start");
        process.ErrorDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        return new VideoFrameReader(process, size, path);
    }

    /// <summary>Reads up to <paramref name="max"/> frames into dest ([max, 3, S, S]); returns how many.</summary>
    public int Read(float[] dest, int max)
    {
        var plane = Size * Size;
        for (var f = 0; f < max; f++)
        {
            var read = 0;
            while (read < _frame.Length)
            {
                var n = _stdout.Read(_frame, read, _frame.Length - read);
                if (n == 0)
                {
                    if (read == 0 && f == 0 && _process.WaitForExit(10_000) && _process.ExitCode != 0)
                    {
                        throw new ArgumentException($"'{Path.GetFileName(_path)}': ffmpeg could not decode the video (exit {_process.ExitCode})");
                    }

                    return f;
                }

                read += n;
            }

            var offset = f * 3 * plane;
            for (var p = 0; p < plane; p++)
            {
                for (var c = 0; c < 3; c++)
                {
                    dest[offset + c * plane + p] = _frame[p * 3 + c] / 127.5f - 1f;
                }
            }
        }

        return max;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
    }
}
