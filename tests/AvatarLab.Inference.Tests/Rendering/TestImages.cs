using SkiaSharp;

namespace AvatarLab.Inference.Tests.Rendering;

/// <summary>Encoded test images built with SkiaSharp.</summary>
internal static class TestImages
{
    /// <summary>Vertical stripes: each (colour, width) in turn, left to right.</summary>
    public static byte[] Stripes(SKEncodedImageFormat format, int height, params (SKColor Color, int Width)[] stripes)
    {
        var width = stripes.Sum(s => s.Width);
        using var bitmap = new SKBitmap(width, height);
        using (var canvas = new SKCanvas(bitmap))
        {
            var x = 0;
            foreach (var (color, w) in stripes)
            {
                using var paint = new SKPaint { Color = color };
                canvas.DrawRect(x, 0, w, height, paint);
                x += w;
            }
        }

        using var image = SKImage.FromBitmap(bitmap);
        using var data = image.Encode(format, 95);
        return data.ToArray();
    }

    /// <summary>Seeded random pixels: most of the file is compressed image data.</summary>
    public static byte[] Noise(SKEncodedImageFormat format, int width, int height, int seed = 1)
    {
        var random = new Random(seed);
        using var bitmap = new SKBitmap(width, height);
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                bitmap.SetPixel(x, y, new SKColor((byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256)));
            }
        }

        using var image = SKImage.FromBitmap(bitmap);
        using var data = image.Encode(format, 95);
        return data.ToArray();
    }
}
