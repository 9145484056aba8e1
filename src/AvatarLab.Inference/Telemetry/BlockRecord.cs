namespace AvatarLab.Inference.Telemetry;

/// <summary>The JSON header of one serialized block (docs/telemetry.md).</summary>
public sealed record BlockRecord
{
    public required int Block { get; init; }
    public required long FirstFrame { get; init; }
    public required int NewFrames { get; init; }
    public required long CallStart { get; init; }
    public required int CallFrames { get; init; }
    public required int Steps { get; init; }
    public required int LateFrames { get; init; }
    public required StageRecord Timings { get; init; }

    /// <summary>Steps whose attention follows, in the order of the attention arrays.</summary>
    public required int[] AttentionSteps { get; init; }

    public required int Past { get; init; }
    public required int PastCross { get; init; }
    public required IReadOnlyList<TelemetryArray> Arrays { get; init; }
}

/// <summary>
/// Stage latencies of a block in milliseconds. <see cref="CacheRefreshReusedFinalPass"/>: the
/// refresh took its keys and values from the block's last pass (every frame at t = 0, the
/// same inputs), so <see cref="CacheRefresh"/> is the cache shift alone.
/// </summary>
public sealed record StageRecord(
    double InputWait,
    double Queue,
    double Features,
    double[] DenoiseSteps,
    double CacheRefresh,
    double Render,
    double Encode,
    double Send,
    bool CacheRefreshReusedFinalPass = false);
