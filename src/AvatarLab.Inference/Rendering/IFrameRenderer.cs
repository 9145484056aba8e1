namespace AvatarLab.Inference.Rendering;

/// <summary>
/// Turns motion latents into video frames. A renderer is not thread-safe: use one instance per
/// thread (they hold reusable drawing state or ONNX buffers).
/// </summary>
public interface IFrameRenderer
{
    /// <summary>Frame width in pixels.</summary>
    int Width { get; }

    /// <summary>Frame height in pixels.</summary>
    int Height { get; }

    /// <summary>
    /// Renders one frame. <paramref name="rgba"/> receives <see cref="Width"/> x
    /// <see cref="Height"/> pixels, row-major from the top-left, 4 bytes each in R, G, B, A
    /// order; every renderer in this namespace writes opaque pixels (A = 255), so the bytes read
    /// the same as premultiplied or straight alpha.
    /// </summary>
    /// <param name="latent">One frame's latent (for face-params/1, the 12 channels in order).</param>
    /// <param name="rgba">Destination of exactly Width * Height * 4 bytes.</param>
    void Render(ReadOnlySpan<float> latent, Span<byte> rgba);

    /// <summary>
    /// Renders <paramref name="frames"/> frames whose latents lie back to back in
    /// <paramref name="latents"/> ([frames, D]) into consecutive frames of
    /// <paramref name="rgba"/>. The default renders one frame at a time; renderers that batch
    /// (ONNX) override it.
    /// </summary>
    void RenderBatch(ReadOnlySpan<float> latents, int frames, Span<byte> rgba)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(frames);
        if (frames == 0)
        {
            return;
        }

        if (latents.Length % frames != 0)
        {
            throw new ArgumentException($"{latents.Length} latent values do not split into {frames} frames.", nameof(latents));
        }

        var dim = latents.Length / frames;
        var frameBytes = Width * Height * 4;
        if (rgba.Length != frames * frameBytes)
        {
            throw new ArgumentException($"rgba holds {rgba.Length} bytes; {frames} frames of {Width}x{Height} need {frames * frameBytes}.", nameof(rgba));
        }

        for (var t = 0; t < frames; t++)
        {
            Render(latents.Slice(t * dim, dim), rgba.Slice(t * frameBytes, frameBytes));
        }
    }
}
