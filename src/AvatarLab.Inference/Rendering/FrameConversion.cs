namespace AvatarLab.Inference.Rendering;

/// <summary>Conversions between model tensors and RGBA8888 frames.</summary>
internal static class FrameConversion
{
    /// <summary>
    /// Planar RGB frames [T, 3, H, W] in [-1, 1] to interleaved opaque RGBA bytes; values out of
    /// range are clamped, (v + 1) * 127.5 rounded to the nearest byte.
    /// </summary>
    public static void PlanarToRgba(ReadOnlySpan<float> planar, int frames, int plane, Span<byte> rgba)
    {
        for (var t = 0; t < frames; t++)
        {
            var src = planar.Slice(t * 3 * plane, 3 * plane);
            var r = src[..plane];
            var g = src.Slice(plane, plane);
            var b = src.Slice(2 * plane, plane);
            var dst = rgba.Slice(t * plane * 4, plane * 4);
            for (var p = 0; p < plane; p++)
            {
                dst[p * 4] = ToByte(r[p]);
                dst[(p * 4) + 1] = ToByte(g[p]);
                dst[(p * 4) + 2] = ToByte(b[p]);
                dst[(p * 4) + 3] = 255;
            }
        }
    }

    private static byte ToByte(float v)
    {
        // NaN compares false both ways and lands on 0 (black): visible, not a crash.
        var x = (v + 1f) * 127.5f;
        return x >= 255f ? (byte)255 : x > 0f ? (byte)(x + 0.5f) : (byte)0;
    }
}
