namespace AvatarLab.Inference.Sampling;

/// <summary>Which streaming sampler generates the motion.</summary>
public enum SamplerKind
{
    /// <summary>Avatar Forcing with the KV cache (the official streaming path).</summary>
    AvatarForcing,

    /// <summary>Avatar Forcing without the cache: each block recomputes a clip-long window.</summary>
    Recomputed,

    /// <summary>
    /// Non-causal windowed baseline in the manner of INFP / FLOAT: waits for a whole window of
    /// future input, then generates it; for latency comparison.
    /// </summary>
    WindowedBaseline,
}

/// <summary>Per-frame noise levels inside a block during denoising.</summary>
public enum NoiseSchedule
{
    /// <summary>The paper's: every new frame of a block shares the step's timestep.</summary>
    Blockwise,

    /// <summary>
    /// Research option: earlier frames of a block run ahead of later ones (see
    /// <see cref="FlowMatching.StaggeredTimestep"/>); all reach 0 at the last step.
    /// </summary>
    Staggered,
}

/// <summary>Conditions fed as zeros (dropped) in every guidance branch.</summary>
[Flags]
public enum DroppedConditions
{
    None = 0,
    AvatarAudio = 1,
    UserAudio = 2,
    UserMotion = 4,

    /// <summary>The user's audio and motion: how synthetic DPO losers are made.</summary>
    User = UserAudio | UserMotion,
}

/// <summary>How much attention telemetry a run records.</summary>
public enum AttentionCapture
{
    Off,
    FinalStep,
    EveryStep,
}

/// <summary>Sampler settings; null values take the package manifest's defaults.</summary>
public sealed record SamplerOptions
{
    public SamplerKind Kind { get; init; } = SamplerKind.AvatarForcing;

    /// <summary>Number of function evaluations as the official code counts them (timesteps = nfe - 1).</summary>
    public int? Nfe { get; init; }

    public double? AvatarAudioScale { get; init; }
    public double? UserScale { get; init; }

    /// <summary>Seed of the per-frame Gaussian noise; the same seed and inputs give identical outputs.</summary>
    public ulong Seed { get; init; }

    public DroppedConditions Drop { get; init; }
    public NoiseSchedule Schedule { get; init; } = NoiseSchedule.Blockwise;

    /// <summary>How far (in units of the whole denoising run) the staggered schedule spreads a block's frames.</summary>
    public double StaggerSpread { get; init; } = 0.5;

    public AttentionCapture Attention { get; init; } = AttentionCapture.FinalStep;

    /// <summary>
    /// Clamp each step's guided x0 estimate to the face-params/1 ranges (static thresholding);
    /// null takes the manifest's diffusion.clampToLatentRange. Needs a face-params/1 latent.
    /// </summary>
    public bool? ClampToLatentRange { get; init; }

    /// <summary>Windowed baseline: frames generated per window (75 = 3 s, the paper's INFP* reproduction).</summary>
    public int BaselineWindowFrames { get; init; } = 75;

    /// <summary>Windowed baseline: clean frames of the previous window given as context.</summary>
    public int BaselineContextFrames { get; init; } = 10;
}
