using System.Globalization;
using SkiaSharp;

namespace AvatarLab.Inference.Rendering;

/// <summary>
/// Writes frames as numbered PNG files (<c>frame_00000.png</c>, <c>frame_00001.png</c>, ...) for
/// machines without ffmpeg; <c>ffmpeg -framerate 25 -i frame_%05d.png</c> turns them into a
/// video later. Not thread-safe.
/// </summary>
public sealed class PngSequenceWriter
{
    private readonly SKImageInfo _info;

    /// <summary>Writes into <paramref name="directory"/>, creating it if needed.</summary>
    /// <param name="directory">Folder of the PNG files.</param>
    /// <param name="width">Frame width in pixels.</param>
    /// <param name="height">Frame height in pixels.</param>
    /// <param name="prefix">File name before the number.</param>
    public PngSequenceWriter(string directory, int width, int height, string prefix = "frame")
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        Directory.CreateDirectory(directory);
        Folder = directory;
        Prefix = prefix;
        _info = new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
    }

    /// <summary>The folder written to.</summary>
    public string Folder { get; }

    /// <summary>File name before the number.</summary>
    public string Prefix { get; }

    /// <summary>Frames written so far; the next file's number.</summary>
    public int FramesWritten { get; private set; }

    /// <summary>The path of frame <paramref name="index"/>.</summary>
    public string PathOf(int index) =>
        Path.Combine(Folder, string.Create(CultureInfo.InvariantCulture, $"{Prefix}_{index:D5}.png"));

    /// <summary>Writes the next frame (width * height RGBA8888 bytes) and returns its path.</summary>
    public string WriteFrame(ReadOnlySpan<byte> rgba)
    {
        if (rgba.Length != _info.BytesSize)
        {
            throw new ArgumentException($"a {_info.Width}x{_info.Height} frame is {_info.BytesSize} bytes; got {rgba.Length}.", nameof(rgba));
        }

        using var data = SKData.CreateCopy(rgba);
        using var image = SKImage.FromPixels(_info, data, _info.RowBytes)
            ?? throw new InvalidOperationException("SkiaSharp could not wrap the frame.");
        using var png = image.Encode(SKEncodedImageFormat.Png, 100);
        var path = PathOf(FramesWritten);
        using (var file = File.Create(path))
        {
            png.SaveTo(file);
        }

        FramesWritten++;
        return path;
    }
}
