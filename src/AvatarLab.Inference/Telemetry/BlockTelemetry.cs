namespace AvatarLab.Inference.Telemetry;

/// <summary>
/// Everything recorded about one generated block: the per-frame noise schedule, guidance
/// branch velocity norms, attention, latency per stage and the motion latents.
/// </summary>
public sealed class BlockTelemetry
{
    public BlockTelemetry(int blockIndex, long firstFrame, int newFrames, long callStart, int callFrames, int steps, int latentDim)
    {
        BlockIndex = blockIndex;
        FirstFrame = firstFrame;
        NewFrames = newFrames;
        CallStart = callStart;
        CallFrames = callFrames;
        Steps = steps;
        LatentDim = latentDim;
        Timesteps = new float[steps * callFrames];
        VelocityNorms = new float[steps * 4];
        NoisyFrames = callFrames - (int)(firstFrame - callStart);
        GuidanceEffect = new float[steps * NoisyFrames * 2];
        Timings = new StageTimings(steps);
        Latents = new float[newFrames * latentDim];
    }

    public int BlockIndex { get; }

    /// <summary>Absolute index of the block's first new frame.</summary>
    public long FirstFrame { get; }

    public int NewFrames { get; }

    /// <summary>Absolute index of the first frame of the denoiser call (context frames first).</summary>
    public long CallStart { get; }

    public int CallFrames { get; }

    /// <summary>Denoising passes (nfe - 1), not counting the cache refresh.</summary>
    public int Steps { get; }

    public int LatentDim { get; }

    /// <summary>[Steps, CallFrames]: each frame's timestep t at each pass (0 = clean context).</summary>
    public float[] Timesteps { get; }

    /// <summary>[Steps, 4]: RMS over the new frames of the velocity of branches none, avatar, user, and the guided result.</summary>
    public float[] VelocityNorms { get; }

    /// <summary>Captured attention passes (empty when capture is off or the model exports none).</summary>
    public List<AttentionSnapshot> Attention { get; } = [];

    /// <summary>Frames of the call that are denoised: from <see cref="FirstFrame"/> to the call's end.</summary>
    public int NoisyFrames { get; }

    /// <summary>
    /// [Steps, NoisyFrames, 2]: per denoised frame, the RMS over latent channels of
    /// v_avatar - v_none and v_user - v_none: how much the avatar's audio and the user's
    /// streams change that frame's velocity at each pass (what guidance scales up).
    /// </summary>
    public float[] GuidanceEffect { get; }

    public StageTimings Timings { get; }

    /// <summary>[NewFrames, LatentDim]: the generated motion latents.</summary>
    public float[] Latents { get; }

    /// <summary>Number of the block's frames that were due before the block was ready (live sessions).</summary>
    public int LateFrames { get; set; }

    public float Timestep(int step, int frameInCall) => Timesteps[step * CallFrames + frameInCall];
}
