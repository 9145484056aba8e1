namespace AvatarLab.Inference.Sampling;

/// <summary>Gaussian noise for output frames: row f is the initial noise of output frame f.</summary>
public interface INoiseSource
{
    /// <summary>Fills dest ([frames x dim], row-major) with the noise of frames first..first+frames-1.</summary>
    void Fill(long firstFrame, int frames, int dim, Span<double> dest);
}

/// <summary>
/// Counter-based standard normal noise: the value of (frame, channel) depends only on the
/// seed and those indices (SplitMix64 hashing + Box-Muller), so it is identical on every
/// machine, whatever the block layout or sampler, and costs no state for an hour-long stream.
/// </summary>
public sealed class SeededNoise(ulong seed) : INoiseSource
{
    public void Fill(long firstFrame, int frames, int dim, Span<double> dest)
    {
        for (var f = 0; f < frames; f++)
        {
            for (var c = 0; c < dim; c++)
            {
                dest[f * dim + c] = Normal((ulong)(firstFrame + f), (ulong)c);
            }
        }
    }

    private double Normal(ulong frame, ulong channel)
    {
        var key = Mix(seed ^ Mix(frame * 0x9E3779B97F4A7C15UL + channel));
        // Two 53-bit uniforms in (0, 1]; Box-Muller's cosine branch.
        var u1 = ((Mix(key) >> 11) + 1) * (1.0 / 9007199254740992.0);
        var u2 = (Mix(key + 0x632BE59BD9B4E019UL) >> 11) * (1.0 / 9007199254740992.0);
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    private static ulong Mix(ulong z)
    {
        z += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}

/// <summary>Noise from a table [frames x dim] (golden tests replay the Python sampler's noise).</summary>
public sealed class TableNoise(float[] table, int dim) : INoiseSource
{
    public void Fill(long firstFrame, int frames, int dim2, Span<double> dest)
    {
        if (dim2 != dim)
        {
            throw new ArgumentException($"noise table has {dim} channels, the model needs {dim2}");
        }

        var start = checked((int)firstFrame * dim);
        if (start + frames * dim > table.Length)
        {
            throw new InvalidOperationException($"noise table ends at frame {table.Length / dim}; frame {firstFrame + frames - 1} requested");
        }

        for (var i = 0; i < frames * dim; i++)
        {
            dest[i] = table[start + i];
        }
    }
}
