namespace AvatarLab.Inference.Packages;

/// <summary>How the denoiser's condition inputs are computed.</summary>
public sealed record FeaturesSpec
{
    /// <summary>Audio features, used for both the avatar's and the user's audio (Fa = Fu).</summary>
    public required AudioFeatureSpec Audio { get; init; }

    /// <summary>User-motion features (Fm).</summary>
    public required UserMotionSpec UserMotion { get; init; }
}
