using AvatarLab.Inference.Rendering;
using AvatarLab.Inference.Tests.Audio;
using SkiaSharp;

namespace AvatarLab.Inference.Tests.Rendering;

public sealed class PngSequenceWriterTests
{
    [Fact]
    public void WriteFrame_ThreeFrames_WritesNumberedLosslessPngs()
    {
        using var folder = new TempFolder();
        var writer = new PngSequenceWriter(folder.File("frames"), 4, 2);
        var frames = Enumerable.Range(0, 3)
            .Select(f => Enumerable.Range(0, 4 * 2 * 4).Select(i => i % 4 == 3 ? (byte)255 : (byte)((i * 7) + (f * 50))).ToArray())
            .ToArray();

        var paths = frames.Select(f => writer.WriteFrame(f)).ToArray();

        Assert.Equal(3, writer.FramesWritten);
        Assert.Equal(["frame_00000.png", "frame_00001.png", "frame_00002.png"], paths.Select(Path.GetFileName));
        for (var f = 0; f < 3; f++)
        {
            using var bitmap = SKBitmap.Decode(paths[f], new SKImageInfo(4, 2, SKColorType.Rgba8888, SKAlphaType.Unpremul));
            Assert.Equal(frames[f], bitmap.GetPixelSpan().ToArray());
        }
    }

    [Fact]
    public void WriteFrame_WrongLength_Throws()
    {
        using var folder = new TempFolder();
        var writer = new PngSequenceWriter(folder.Path, 4, 2);

        Assert.Throws<ArgumentException>(() => writer.WriteFrame(new byte[31]));
    }
}
