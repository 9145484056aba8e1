namespace AvatarLab.Inference.Rendering;

/// <summary>An opaque RGB image, 3 bytes a pixel, row-major from the top-left.</summary>
public sealed class Portrait
{
    /// <summary>Wraps <paramref name="rgb"/> (not copied).</summary>
    /// <exception cref="ArgumentException">The buffer is not width * height * 3 bytes.</exception>
    public Portrait(int width, int height, byte[] rgb)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentNullException.ThrowIfNull(rgb);
        if (rgb.Length != width * height * 3)
        {
            throw new ArgumentException($"a {width}x{height} RGB image needs {width * height * 3} bytes; got {rgb.Length}.", nameof(rgb));
        }

        Width = width;
        Height = height;
        Rgb = rgb;
    }

    /// <summary>Width in pixels.</summary>
    public int Width { get; }

    /// <summary>Height in pixels.</summary>
    public int Height { get; }

    /// <summary>The pixels, R, G, B per pixel.</summary>
    public byte[] Rgb { get; }
}
