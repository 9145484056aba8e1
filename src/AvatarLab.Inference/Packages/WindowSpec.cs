namespace AvatarLab.Inference.Packages;

/// <summary>Streaming window sizes in frames (avatar-forcing.md, "Streaming with a KV cache").</summary>
public sealed record WindowSpec
{
    /// <summary>Frames of the first call, denoised from noise without a cache (50 in the paper's code).</summary>
    public required int ClipFrames { get; init; }

    /// <summary>New frames per later block (10).</summary>
    public required int BlockFrames { get; init; }

    /// <summary>Clean frames of the previous block that precede each new block (2).</summary>
    public required int ContextFrames { get; init; }

    /// <summary>How far ahead a frame attends, in self- and cross-attention (2).</summary>
    public required int LookaheadFrames { get; init; }

    /// <summary>Self-attention cache length P (38).</summary>
    public required int SelfCacheFrames { get; init; }

    /// <summary>Cross-attention cache length Pc (2).</summary>
    public required int CrossCacheFrames { get; init; }
}
