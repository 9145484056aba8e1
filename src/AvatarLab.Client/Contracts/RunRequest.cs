namespace AvatarLab.Client.Contracts;

/// <summary>
/// A run of a recording on the inference worker (POST /api/sessions). Null numbers take the
/// model's defaults (manifest NFE and guidance); a null seed is drawn at random and recorded.
/// </summary>
public sealed record RunRequest
{
    public Guid ModelId { get; init; }
    public Guid RecordingId { get; init; }
    public string? Name { get; init; }

    /// <summary>AvatarForcing (cached, the paper's), Recomputed (no cache) or WindowedBaseline.</summary>
    public string Sampler { get; init; } = "AvatarForcing";

    public int? Nfe { get; init; }
    public double? AvatarAudioScale { get; init; }
    public double? UserScale { get; init; }
    public long? Seed { get; init; }

    /// <summary>Conditions fed as zeros: AvatarAudio, UserAudio, UserMotion.</summary>
    public IReadOnlyList<string> Dropped { get; init; } = [];

    /// <summary>Blockwise (the paper's) or Staggered (research).</summary>
    public string Schedule { get; init; } = "Blockwise";

    public double? StaggerSpread { get; init; }

    /// <summary>
    /// Which denoising passes record their attention: FinalStep (the last pass, default),
    /// EveryStep (every pass: about NFE times the telemetry, for short runs) or Off.
    /// </summary>
    public string Attention { get; init; } = "FinalStep";

    /// <summary>
    /// Clamp each denoising step's x0 estimate to the face-params/1 ranges (static thresholding);
    /// null takes the model's manifest (diffusion.clampToLatentRange). face-params/1 models only.
    /// </summary>
    public bool? ClampToLatentRange { get; init; }
}
