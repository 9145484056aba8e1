namespace AvatarLab.Inference.Packages;

/// <summary>Flow-matching settings (avatar-forcing.md, "Flow matching sampler").</summary>
public sealed record DiffusionSpec
{
    /// <summary>Timestep range [0, TrainTimesteps] of the denoiser's <c>t</c> input (1000).</summary>
    public required int TrainTimesteps { get; init; }

    /// <summary>Scheduler shift (1 = none).</summary>
    public double Shift { get; init; } = 1.0;

    /// <summary>Default number of function evaluations per block (10 in the paper's code).</summary>
    public int DefaultNfe { get; init; } = 10;

    /// <summary>
    /// AvatarLab extension (docs/model-package.md, "Range clamp"): when true, the sampler clamps
    /// each step's guided clean estimate x0 = x - s v to the latent space's nominal ranges
    /// (static thresholding). Only for latent.space face-params/1, whose ranges the contract
    /// defines; other engines ignore the field and run the official loop. Default false.
    /// </summary>
    public bool ClampToLatentRange { get; init; }
}
