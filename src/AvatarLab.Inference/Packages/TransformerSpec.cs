namespace AvatarLab.Inference.Packages;

/// <summary>The denoiser's attention sizes, which fix the cache tensors [L, B, H, P, hd].</summary>
public sealed record TransformerSpec
{
    /// <summary>Transformer layers (L).</summary>
    public required int Layers { get; init; }

    /// <summary>Attention heads (H).</summary>
    public required int Heads { get; init; }

    /// <summary>Width of one head (hd).</summary>
    public required int HeadDim { get; init; }
}
