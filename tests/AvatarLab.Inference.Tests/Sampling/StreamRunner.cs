using AvatarLab.Inference.Sampling;

namespace AvatarLab.Inference.Tests.Sampling;

/// <summary>Pushes whole condition arrays through a stream in chunks and collects the generated latents.</summary>
internal static class StreamRunner
{
    public static float[] Run(StreamingSampler sampler, float[] avatarAudio, float[] userAudio, float[] userMotion,
        int frames, DenoiserShape shape, int chunk = 7)
    {
        var output = new List<float>();
        for (var start = 0; start < frames; start += chunk)
        {
            var n = Math.Min(chunk, frames - start);
            sampler.Push(
                avatarAudio.AsSpan(start * shape.AvatarAudioDim, n * shape.AvatarAudioDim),
                userAudio.AsSpan(start * shape.UserAudioDim, n * shape.UserAudioDim),
                userMotion.AsSpan(start * shape.UserMotionDim, n * shape.UserMotionDim));
            while (sampler.Next() is { } block)
            {
                output.AddRange(block.Latents);
            }
        }

        return output.ToArray();
    }

    public static double MaxAbsDiff(float[] a, float[] b)
    {
        Assert.Equal(a.Length, b.Length);
        var worst = 0.0;
        for (var i = 0; i < a.Length; i++)
        {
            worst = Math.Max(worst, Math.Abs((double)a[i] - b[i]));
        }

        return worst;
    }
}
