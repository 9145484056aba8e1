namespace AvatarLab.Inference.Sampling;

/// <summary>Sizes of a denoiser (contract v1): latent D, features Fa/Fu/Fm, layers L, heads H, head width hd.</summary>
public sealed record DenoiserShape(
    int LatentDim,
    int AvatarAudioDim,
    int UserAudioDim,
    int UserMotionDim,
    int Layers,
    int Heads,
    int HeadDim,
    int TrainTimesteps,
    bool HasSelfAttention,
    bool HasCrossAttention);
