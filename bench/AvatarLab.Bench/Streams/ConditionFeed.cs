using AvatarLab.Inference.Sampling;

namespace AvatarLab.Bench.Streams;

/// <summary>
/// Condition features (avatar audio, user audio, user motion) with the package's dims for any
/// number of frames. Values are random: the denoiser's cost does not depend on them. They
/// repeat from a small pool, so an hour-long stream holds no more input than a block does and
/// the memory benchmark measures the engine, not its input.
/// </summary>
internal sealed class ConditionFeed
{
    /// <summary>Longer than any call of the samplers benchmarked here; the repetition does not affect timing.</summary>
    private const int PoolFrames = 128;

    private readonly DenoiserShape _shape;
    private readonly float[] _avatarAudio;
    private readonly float[] _userAudio;
    private readonly float[] _userMotion;

    /// <param name="shape">The denoiser whose feature dims to use.</param>
    /// <param name="seed">The same seed gives the same features: samplers compared on "the same inputs" share one.</param>
    public ConditionFeed(DenoiserShape shape, int seed)
    {
        _shape = shape;
        var random = new Random(seed);
        _avatarAudio = RandomValues(random, PoolFrames * shape.AvatarAudioDim);
        _userAudio = RandomValues(random, PoolFrames * shape.UserAudioDim);
        _userMotion = RandomValues(random, PoolFrames * shape.UserMotionDim);
    }

    /// <summary>Pushes frames <c>sampler.FramesReceived .. frames - 1</c>.</summary>
    public void PushUntil(StreamingSampler sampler, long frames)
    {
        while (sampler.FramesReceived < frames)
        {
            var at = sampler.FramesReceived;
            var offset = (int)(at % PoolFrames);
            var n = (int)Math.Min(frames - at, PoolFrames - offset);
            sampler.Push(
                Slice(_avatarAudio, _shape.AvatarAudioDim, offset, n),
                Slice(_userAudio, _shape.UserAudioDim, offset, n),
                Slice(_userMotion, _shape.UserMotionDim, offset, n));
        }
    }

    private static ReadOnlySpan<float> Slice(float[] pool, int dim, int frame, int frames) =>
        pool.AsSpan(frame * dim, frames * dim);

    private static float[] RandomValues(Random random, int count)
    {
        var values = new float[count];
        for (var i = 0; i < count; i++)
        {
            // Uniform in [-1, 1): the scale of normalized features.
            values[i] = (float)(random.NextDouble() * 2 - 1);
        }

        return values;
    }
}
