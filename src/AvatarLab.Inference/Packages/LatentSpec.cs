namespace AvatarLab.Inference.Packages;

/// <summary>The motion latent: its size, its space and optional channel names for charts.</summary>
public sealed record LatentSpec
{
    /// <summary>The built-in 12-channel face-parameter space (<see cref="Motion.FaceParams"/>).</summary>
    public const string FaceParams = "face-params/1";

    /// <summary>A model-specific latent only the package's own renderer can decode.</summary>
    public const string Opaque = "opaque";

    /// <summary>Values per frame (D in the contract's tables).</summary>
    public required int Dim { get; init; }

    /// <summary><see cref="FaceParams"/> or <see cref="Opaque"/>.</summary>
    public required string Space { get; init; }

    /// <summary>Optional channel names for motion curves; <see cref="Dim"/> of them when present.</summary>
    public IReadOnlyList<string>? Channels { get; init; }
}
