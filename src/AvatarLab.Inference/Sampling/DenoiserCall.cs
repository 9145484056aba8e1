namespace AvatarLab.Inference.Sampling;

/// <summary>
/// Buffers of one denoiser call, allocated once for the largest call of a stream and reused:
/// inputs are filled by the sampler, outputs by <see cref="IDenoiser.Run"/>. Every array is
/// row-major with the contract's layout; only the leading elements for the current sizes are used.
/// </summary>
public sealed class DenoiserCall
{
    public DenoiserCall(DenoiserShape shape, int batch, int maxFrames, int maxPast, int maxPastCross)
    {
        Shape = shape;
        MaxBatch = batch;
        MaxFrames = maxFrames;
        MaxPast = maxPast;
        MaxPastCross = maxPastCross;
        var cacheRow = shape.Layers * batch * shape.Heads * shape.HeadDim;
        X = new float[batch * maxFrames * shape.LatentDim];
        T = new float[batch * maxFrames];
        AvatarAudio = new float[batch * maxFrames * shape.AvatarAudioDim];
        UserAudio = new float[batch * maxFrames * shape.UserAudioDim];
        UserMotion = new float[batch * maxFrames * shape.UserMotionDim];
        Identity = new float[batch * shape.LatentDim];
        PastKey = new float[cacheRow * maxPast];
        PastValue = new float[cacheRow * maxPast];
        PastCrossKey = new float[cacheRow * maxPastCross];
        PastCrossValue = new float[cacheRow * maxPastCross];
        Velocity = new float[batch * maxFrames * shape.LatentDim];
        PresentKey = new float[cacheRow * maxFrames];
        PresentValue = new float[cacheRow * maxFrames];
        PresentCrossKey = new float[cacheRow * maxFrames];
        PresentCrossValue = new float[cacheRow * maxFrames];
        var attentionRow = shape.Layers * batch * shape.Heads * maxFrames;
        SelfAttention = shape.HasSelfAttention ? new float[attentionRow * (maxPast + maxFrames)] : [];
        CrossAttention = shape.HasCrossAttention ? new float[attentionRow * (maxPastCross + maxFrames)] : [];
    }

    public DenoiserShape Shape { get; }
    public int MaxBatch { get; }
    public int MaxFrames { get; }
    public int MaxPast { get; }
    public int MaxPastCross { get; }

    /// <summary>Current sizes: batch B, frames N, self cache P, cross cache Pc, and start_pos.</summary>
    public int Batch { get; set; }
    public int Frames { get; set; }
    public int Past { get; set; }
    public int PastCross { get; set; }
    public long StartPos { get; set; }

    public float[] X { get; }
    public float[] T { get; }
    public float[] AvatarAudio { get; }
    public float[] UserAudio { get; }
    public float[] UserMotion { get; }
    public float[] Identity { get; }
    public float[] PastKey { get; }
    public float[] PastValue { get; }
    public float[] PastCrossKey { get; }
    public float[] PastCrossValue { get; }
    public float[] Velocity { get; }
    public float[] PresentKey { get; }
    public float[] PresentValue { get; }
    public float[] PresentCrossKey { get; }
    public float[] PresentCrossValue { get; }

    /// <summary>[L, B, H, N, P + N] when the model exports it and the call asked for it, else empty.</summary>
    public float[] SelfAttention { get; }

    /// <summary>[L, B, H, N, Pc + N] likewise.</summary>
    public float[] CrossAttention { get; }

    /// <summary>Backing store of the int64 scalar start_pos (bound once, rewritten per call).</summary>
    internal long[] StartPosBuffer { get; } = new long[1];

    /// <summary>Whether the next run should fill the attention outputs.</summary>
    public bool WantAttention { get; set; }

    public void SetSizes(int batch, int frames, int past, int pastCross, long startPos)
    {
        if (batch > MaxBatch || frames > MaxFrames || past > MaxPast || pastCross > MaxPastCross)
        {
            throw new ArgumentException($"call [{batch}, {frames}, {past}, {pastCross}] exceeds the buffers [{MaxBatch}, {MaxFrames}, {MaxPast}, {MaxPastCross}]");
        }

        (Batch, Frames, Past, PastCross, StartPos) = (batch, frames, past, pastCross, startPos);
        StartPosBuffer[0] = startPos;
    }
}
