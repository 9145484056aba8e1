namespace AvatarLab.Inference.Telemetry;

/// <summary>
/// Latency of one block per stage, in milliseconds on the monotonic clock (metrics.md,
/// "Latency"). The sampler fills input wait, denoising and cache refresh; the pipeline around
/// it adds features, rendering, encoding and sending.
/// </summary>
public sealed class StageTimings(int steps)
{
    /// <summary>First input frame of the block arriving -> the block's last input frame (incl. lookahead) arriving.</summary>
    public double InputWaitMs { get; set; }

    /// <summary>Input complete -> generation started (queueing behind earlier blocks).</summary>
    public double QueueMs { get; set; }

    public double FeaturesMs { get; set; }

    /// <summary>Wall time of each denoising pass (3-way guided batch + flow step).</summary>
    public double[] DenoiseStepMs { get; } = new double[steps];

    public double CacheRefreshMs { get; set; }

    /// <summary>
    /// The cache refresh reused the block's last denoising pass (every frame at t = 0: the
    /// refresh's own inputs) instead of running the denoiser again; <see cref="CacheRefreshMs"/>
    /// is then the cache shift alone.
    /// </summary>
    public bool CacheRefreshReusedFinalPass { get; set; }
    public double RenderMs { get; set; }
    public double EncodeMs { get; set; }
    public double SendMs { get; set; }

    public double DenoiseMs => DenoiseStepMs.Sum();

    /// <summary>Compute spent on the block (everything but waiting for input and queueing).</summary>
    public double ComputeMs => FeaturesMs + DenoiseMs + CacheRefreshMs + RenderMs + EncodeMs + SendMs;

    /// <summary>First input frame arriving -> block ready: what a viewer waits for the block's first frame.</summary>
    public double TotalMs => InputWaitMs + QueueMs + ComputeMs;
}
