using AvatarLab.Inference.Rendering;
using AvatarLab.Inference.Tests.Support;
using Microsoft.ML.OnnxRuntime;

namespace AvatarLab.Inference.Tests.Rendering;

/// <summary>
/// Runs the tiny pair from training/avatarlab_train/tiny_renderer.py, whose output is known in
/// closed form: identity = the portrait's mean colour, frames = clip(identity_rgb * (1 + m0) +
/// 0.5 * grey(portrait) * m1, -1, 1) at 16 x 16, latent size 4.
/// </summary>
public sealed class OnnxFaceRendererTests : IDisposable
{
    private const int Size = 16;
    private readonly InferenceSession _encoder = new(RepoPaths.Fixture("onnx-renderer/identity_encoder.onnx"));
    private readonly InferenceSession _renderer = new(RepoPaths.Fixture("onnx-renderer/renderer.onnx"));

    public void Dispose()
    {
        _encoder.Dispose();
        _renderer.Dispose();
    }

    [Fact]
    public void Render_ZeroMotion_GivesThePortraitsMeanColour()
    {
        using var renderer = new OnnxFaceRenderer(_encoder, _renderer, Size, Solid(Size, Size, 200, 100, 50));
        var rgba = new byte[Size * Size * 4];

        renderer.Render([0f, 0f, 0f, 0f], rgba);

        AssertAllPixels(rgba, 200, 100, 50);
    }

    [Fact]
    public void Constructor_Portrait_ExposesTheIdentityTensor()
    {
        using var renderer = new OnnxFaceRenderer(_encoder, _renderer, Size, Solid(Size, Size, 255, 0, 127));

        Assert.Equal(4, renderer.LatentDim);
        var identity = renderer.Identity.ToArray();
        Assert.Equal(4, identity.Length);
        Assert.Equal(1f, identity[0], 1e-5f);
        Assert.Equal(-1f, identity[1], 1e-5f);
        Assert.Equal((127 / 127.5f) - 1f, identity[2], 1e-5f);
        Assert.Equal(0f, identity[3]);
    }

    [Fact]
    public void RenderBatch_TwoFrames_RendersEachWithItsMotion()
    {
        using var renderer = new OnnxFaceRenderer(_encoder, _renderer, Size, Solid(Size, Size, 200, 100, 50));
        var rgba = new byte[2 * Size * Size * 4];

        renderer.RenderBatch([0f, 0f, 0f, 0f, -0.5f, 0f, 0f, 0f], 2, rgba);

        AssertAllPixels(rgba.AsSpan(0, Size * Size * 4).ToArray(), 200, 100, 50);
        // (v + 1) * 127.5 with v = 0.5 * (c / 127.5 - 1): 163.75, 113.75, 88.75.
        AssertAllPixels(rgba.AsSpan(Size * Size * 4).ToArray(), 164, 114, 89);
    }

    [Fact]
    public void Render_TextureMotion_KeepsThePixelLayoutOfTheCentreCrop()
    {
        // 32 x 16: red | black | white | green columns of 8; the centre square is black | white.
        var rgb = new byte[32 * 16 * 3];
        for (var y = 0; y < 16; y++)
        {
            for (var x = 0; x < 32; x++)
            {
                var (r, g, b) = x < 8 ? (255, 0, 0) : x < 16 ? (0, 0, 0) : x < 24 ? (255, 255, 255) : (0, 255, 0);
                var i = ((y * 32) + x) * 3;
                (rgb[i], rgb[i + 1], rgb[i + 2]) = ((byte)r, (byte)g, (byte)b);
            }
        }

        using var renderer = new OnnxFaceRenderer(_encoder, _renderer, Size, new Portrait(32, 16, rgb));
        var rgba = new byte[Size * Size * 4];

        renderer.Render([0f, 1f, 0f, 0f], rgba);

        // Mean colour 0, so the frame is 0.5 * grey: -0.5 (64) on the left, +0.5 (191) on the right.
        for (var y = 0; y < Size; y++)
        {
            for (var x = 0; x < Size; x++)
            {
                var expected = x < Size / 2 ? 64 : 191;
                var i = ((y * Size) + x) * 4;
                Assert.Equal([(byte)expected, (byte)expected, (byte)expected, 255], rgba[i..(i + 4)]);
            }
        }
    }

    [Fact]
    public void Constructor_WrongImageSize_NamesTheShape()
    {
        var ex = Assert.Throws<InvalidDataException>(() => new OnnxFaceRenderer(_encoder, _renderer, 32, Solid(32, 32, 0, 0, 0)));

        Assert.Contains("portrait", ex.Message);
        Assert.Contains("[1, 3, 16, 16]", ex.Message);
    }

    [Fact]
    public void Render_WrongLatentLength_Throws()
    {
        using var renderer = new OnnxFaceRenderer(_encoder, _renderer, Size, Solid(Size, Size, 0, 0, 0));

        Assert.Throws<ArgumentException>(() => renderer.Render(new float[12], new byte[Size * Size * 4]));
    }

    private static Portrait Solid(int width, int height, byte r, byte g, byte b)
    {
        var rgb = new byte[width * height * 3];
        for (var i = 0; i < rgb.Length; i += 3)
        {
            (rgb[i], rgb[i + 1], rgb[i + 2]) = (r, g, b);
        }

        return new Portrait(width, height, rgb);
    }

    private static void AssertAllPixels(byte[] rgba, byte r, byte g, byte b)
    {
        for (var i = 0; i < rgba.Length; i += 4)
        {
            Assert.Equal([r, g, b, 255], rgba[i..(i + 4)]);
        }
    }
}
