namespace AvatarLab.Inference.Runs;

/// <summary>Summary of a finished offline run (also written as run.json).</summary>
public sealed record OfflineRunResult
{
    public required string Model { get; init; }
    public required string ModelVersion { get; init; }
    public required string Device { get; init; }
    public required string DeviceReason { get; init; }
    public required string Sampler { get; init; }
    public required int Nfe { get; init; }
    public required double AvatarAudioScale { get; init; }
    public required double UserScale { get; init; }
    public required ulong Seed { get; init; }
    public required string Dropped { get; init; }
    public required string Schedule { get; init; }

    /// <summary>Whether each step's guided x0 was clamped to the latent's ranges (SamplerOptions.ClampToLatentRange).</summary>
    public bool ClampToLatentRange { get; init; }

    /// <summary>x0 estimates of generated frames the clamp changed, summed over passes.</summary>
    public long ClampedValues { get; init; }
    public required int InputFrames { get; init; }
    public required int Frames { get; init; }
    public required int Blocks { get; init; }
    public required double MediaSeconds { get; init; }

    /// <summary>Per-block compute (features + denoising + cache refresh + render), ms: p50, p95, p99, max.</summary>
    public required double[] BlockComputeMs { get; init; }

    /// <summary>Media duration / total compute.</summary>
    public required double RealTimeFactor { get; init; }

    public required double WallSeconds { get; init; }
    public required IReadOnlyList<string> Notes { get; init; }
    public required IReadOnlyDictionary<string, string> Files { get; init; }
}
