namespace AvatarLab.Inference.Measures;

/// <summary>What <see cref="SessionMeasures.Compute"/> may use besides the tracks; all optional.</summary>
public sealed record SessionMeasureOptions
{
    /// <summary>Defaults: speaking from <see cref="EnergyVad"/>, no ground truth, SID seed 0.</summary>
    public static SessionMeasureOptions Default { get; } = new();

    /// <summary>Known avatar speaking flags per video frame (synthetic data has them); replaces the VAD on the avatar audio.</summary>
    public bool[]? AvatarSpeaking { get; init; }

    /// <summary>Known user speaking flags per video frame; replaces the VAD on the user audio.</summary>
    public bool[]? UserSpeaking { get; init; }

    /// <summary>The avatar's ground-truth face-params track of the same conversation, row-major [T, 12]: enables rPCC.</summary>
    public float[]? AvatarGroundTruth { get; init; }

    /// <summary>Seed of the k-means++ draws of SID: the same seed and tracks give the same SID.</summary>
    public int SidSeed { get; init; }

    /// <summary>k-means++ restarts of SID, the best kept (metrics.KMEANS_N_INIT).</summary>
    public int SidRestarts { get; init; } = KMeans.DefaultRestarts;
}
