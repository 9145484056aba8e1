using AvatarLab.Inference.Rendering;
using AvatarLab.Inference.Tests.Audio;
using SkiaSharp;

namespace AvatarLab.Inference.Tests.Rendering;

public sealed class PortraitLoaderTests
{
    [Fact]
    public void Decode_WidePng_KeepsTheCentredSquare()
    {
        var png = TestImages.Stripes(SKEncodedImageFormat.Png, 20, (SKColors.Red, 10), (SKColors.Blue, 20), (SKColors.Lime, 10));

        var portrait = PortraitLoader.Decode(png, 20);

        Assert.Equal((20, 20), (portrait.Width, portrait.Height));
        for (var i = 0; i < portrait.Rgb.Length; i += 3)
        {
            Assert.Equal([0, 0, 255], portrait.Rgb[i..(i + 3)]);
        }
    }

    [Fact]
    public void Decode_LargeJpeg_ResizesKeepingTheColour()
    {
        var jpeg = TestImages.Stripes(SKEncodedImageFormat.Jpeg, 64, (new SKColor(200, 120, 60), 64));

        var portrait = PortraitLoader.Decode(jpeg, 16);

        Assert.Equal(16 * 16 * 3, portrait.Rgb.Length);
        // JPEG is lossy: a flat colour comes back within a few levels.
        for (var i = 0; i < portrait.Rgb.Length; i += 3)
        {
            Assert.InRange(portrait.Rgb[i], 195, 205);
            Assert.InRange(portrait.Rgb[i + 1], 115, 125);
            Assert.InRange(portrait.Rgb[i + 2], 55, 65);
        }
    }

    [Fact]
    public void Decode_SmallPng_Upscales()
    {
        var png = TestImages.Stripes(SKEncodedImageFormat.Png, 8, (SKColors.White, 8));

        var portrait = PortraitLoader.Decode(png, 32);

        Assert.Equal(32 * 32 * 3, portrait.Rgb.Length);
        Assert.All(portrait.Rgb, v => Assert.Equal(255, v));
    }

    [Fact]
    public void Decode_CorruptPng_SaysSo()
    {
        var png = TestImages.Stripes(SKEncodedImageFormat.Png, 8, (SKColors.White, 8));
        var corrupt = png[..16].Concat(Enumerable.Repeat((byte)0x5A, 200)).ToArray();

        var ex = Assert.Throws<PortraitFormatException>(() => PortraitLoader.Decode(corrupt, 16, "face.png"));

        Assert.Contains("face.png", ex.Message);
    }

    [Fact]
    public void Decode_TruncatedJpeg_SaysSo()
    {
        var jpeg = TestImages.Noise(SKEncodedImageFormat.Jpeg, 64, 64);

        var ex = Assert.Throws<PortraitFormatException>(() => PortraitLoader.Decode(jpeg[..(jpeg.Length * 3 / 5)], 16, "half.jpg"));

        Assert.Contains("half.jpg", ex.Message);
        Assert.Contains("truncated", ex.Message);
    }

    [Fact]
    public void Decode_NotAnImage_SaysSo()
    {
        var ex = Assert.Throws<PortraitFormatException>(() => PortraitLoader.Decode("hello, world"u8, 16, "notes.txt"));

        Assert.Contains("notes.txt", ex.Message);
        Assert.Contains("PNG/JPEG", ex.Message);
    }

    [Fact]
    public void Decode_Webp_IsUnsupported()
    {
        var webp = TestImages.Stripes(SKEncodedImageFormat.Webp, 8, (SKColors.White, 8));

        var ex = Assert.Throws<PortraitFormatException>(() => PortraitLoader.Decode(webp, 16, "face.webp"));

        Assert.Contains("must be PNG or JPEG", ex.Message);
    }

    [Fact]
    public void Decode_Empty_SaysSo()
    {
        var ex = Assert.Throws<PortraitFormatException>(() => PortraitLoader.Decode([], 16, "empty.png"));

        Assert.Contains("empty", ex.Message);
    }

    [Fact]
    public void Load_MissingFile_NamesIt()
    {
        using var folder = new TempFolder();

        var ex = Assert.Throws<PortraitFormatException>(() => PortraitLoader.Load(folder.File("missing.png"), 16));

        Assert.Contains("missing.png", ex.Message);
    }

    [Fact]
    public void Load_PngFile_Decodes()
    {
        using var folder = new TempFolder();
        var path = folder.WriteBytes("face.png", TestImages.Stripes(SKEncodedImageFormat.Png, 10, (SKColors.Black, 10)));

        var portrait = PortraitLoader.Load(path, 10);

        Assert.All(portrait.Rgb, v => Assert.Equal(0, v));
    }
}
