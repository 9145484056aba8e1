using SkiaSharp;

namespace AvatarLab.Inference.Rendering;

/// <summary>
/// Loads portraits for the ONNX renderer pair: decodes PNG or JPEG with SkiaSharp, crops the
/// centred square (the face is assumed to be centred, as in the contract's portrait input) and
/// resizes it. Transparent pixels are composited over white; EXIF orientation is not applied.
/// </summary>
public static class PortraitLoader
{
    /// <summary>Loads the image file at <paramref name="path"/> as a <paramref name="size"/>-pixel square.</summary>
    /// <exception cref="PortraitFormatException">The file cannot be read or is not a PNG or JPEG image.</exception>
    public static Portrait Load(string path, int size)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new PortraitFormatException($"cannot read portrait '{path}': {ex.Message}", ex);
        }

        return Decode(bytes, size, Path.GetFileName(path));
    }

    /// <summary>Decodes an encoded PNG or JPEG image as a <paramref name="size"/>-pixel square.</summary>
    /// <param name="encoded">The file's bytes.</param>
    /// <param name="size">Side of the result in pixels.</param>
    /// <param name="name">Name for error messages (a file name).</param>
    /// <exception cref="PortraitFormatException">The bytes are not a readable PNG or JPEG image.</exception>
    public static Portrait Decode(ReadOnlySpan<byte> encoded, int size, string name = "portrait")
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(size);
        if (encoded.IsEmpty)
        {
            throw new PortraitFormatException($"'{name}' is empty; expected a PNG or JPEG image.");
        }

        using var data = SKData.CreateCopy(encoded);
        using var codec = SKCodec.Create(data)
            ?? throw new PortraitFormatException($"'{name}' is not an image SkiaSharp can read (corrupt, truncated, or not PNG/JPEG).");
        if (codec.EncodedFormat is not (SKEncodedImageFormat.Png or SKEncodedImageFormat.Jpeg))
        {
            throw new PortraitFormatException($"'{name}' is a {codec.EncodedFormat} image; portraits must be PNG or JPEG.");
        }

        var info = new SKImageInfo(codec.Info.Width, codec.Info.Height, SKColorType.Rgba8888, SKAlphaType.Premul);
        using var bitmap = new SKBitmap(info);
        var result = codec.GetPixels(info, bitmap.GetPixels());
        if (result != SKCodecResult.Success)
        {
            throw new PortraitFormatException($"'{name}' could not be decoded ({result}); the file is corrupt or truncated.");
        }

        using var image = SKImage.FromBitmap(bitmap);
        return CropResize(image, size);
    }

    /// <summary>Crops the centred square of <paramref name="portrait"/> and resizes it to <paramref name="size"/>.</summary>
    public static Portrait Resize(Portrait portrait, int size)
    {
        ArgumentNullException.ThrowIfNull(portrait);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(size);
        if (portrait.Width == size && portrait.Height == size)
        {
            return portrait;
        }

        var rgba = new byte[portrait.Width * portrait.Height * 4];
        for (int i = 0, j = 0; i < portrait.Rgb.Length; i += 3, j += 4)
        {
            rgba[j] = portrait.Rgb[i];
            rgba[j + 1] = portrait.Rgb[i + 1];
            rgba[j + 2] = portrait.Rgb[i + 2];
            rgba[j + 3] = 255;
        }

        var info = new SKImageInfo(portrait.Width, portrait.Height, SKColorType.Rgba8888, SKAlphaType.Opaque);
        using var image = SKImage.FromPixelCopy(info, rgba);
        return CropResize(image, size);
    }

    private static Portrait CropResize(SKImage image, int size)
    {
        var side = Math.Min(image.Width, image.Height);
        var source = SKRectI.Create((image.Width - side) / 2, (image.Height - side) / 2, side, side);
        var info = new SKImageInfo(size, size, SKColorType.Rgba8888, SKAlphaType.Premul);
        using var target = new SKBitmap(info);
        using (var canvas = new SKCanvas(target))
        {
            canvas.Clear(SKColors.White);
            // Mipmaps keep a large photo's downscale free of aliasing; cubic for upscales; a crop
            // that is already the size is copied exactly.
            var sampling = side > size ? new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear)
                : side < size ? new SKSamplingOptions(SKCubicResampler.Mitchell)
                : new SKSamplingOptions(SKFilterMode.Nearest);
            canvas.DrawImage(image, source, SKRect.Create(size, size), sampling);
        }

        var pixels = target.GetPixelSpan();
        var rgb = new byte[size * size * 3];
        for (int i = 0, j = 0; j < rgb.Length; i += 4, j += 3)
        {
            rgb[j] = pixels[i];
            rgb[j + 1] = pixels[i + 1];
            rgb[j + 2] = pixels[i + 2];
        }

        return new Portrait(size, size, rgb);
    }
}
