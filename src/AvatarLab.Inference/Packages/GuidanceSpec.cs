namespace AvatarLab.Inference.Packages;

/// <summary>Default classifier-free guidance scales (avatar-forcing.md: a = 2.0, u = 1.0).</summary>
public sealed record GuidanceSpec
{
    /// <summary>Scale a of the avatar-audio condition.</summary>
    public double AvatarAudio { get; init; } = 2.0;

    /// <summary>Scale u of the user conditions (user audio + user motion).</summary>
    public double User { get; init; } = 1.0;
}
