namespace AvatarLab.Inference.Measures;

/// <summary>
/// Per-video-frame loudness in dB, as training/avatarlab_train/metrics.py's
/// <c>loudness_envelope</c>: 20 log10(rms + <see cref="Epsilon"/>) over the samples shown with
/// each frame (not a causal window like the model features), in double.
/// </summary>
/// <remarks>
/// Frame t covers samples [t * sampleRate / fps, (t + 1) * sampleRate / fps) in integer
/// division, and only whole frames count. At 16 kHz and 25 fps that is metrics.py's 640
/// samples per frame exactly; where sampleRate / fps is not an integer (16 kHz at 30 fps:
/// 533.3) frames are 533 or 534 samples long instead of a rounded-down constant, so they do
/// not drift against the video (a constant 533 would be 0.4 s off after 10 minutes).
/// </remarks>
public static class Loudness
{
    /// <summary>Added to the RMS before the log: digital silence is -100 dB, not -inf (metrics.LOUDNESS_EPS).</summary>
    public const double Epsilon = 1e-5;

    /// <summary>Whole video frames in <paramref name="samples"/> samples: floor(samples * fps / sampleRate).</summary>
    public static int FrameCount(int samples, int sampleRate, int fps)
    {
        CheckRates(sampleRate, fps);
        ArgumentOutOfRangeException.ThrowIfNegative(samples);
        return (int)((long)samples * fps / sampleRate);
    }

    /// <summary>The first sample of video frame <paramref name="frame"/>: floor(frame * sampleRate / fps).</summary>
    public static int FrameStart(int frame, int sampleRate, int fps)
    {
        CheckRates(sampleRate, fps);
        return (int)((long)frame * sampleRate / fps);
    }

    /// <summary>The loudness of each whole video frame of <paramref name="audio"/> (mono), in dB.</summary>
    /// <param name="audio">Mono samples, nominally in [-1, 1].</param>
    /// <param name="sampleRate">Samples per second; at least <paramref name="fps"/>.</param>
    /// <param name="fps">Video frames per second.</param>
    public static double[] Envelope(ReadOnlySpan<float> audio, int sampleRate, int fps)
    {
        var envelope = new double[FrameCount(audio.Length, sampleRate, fps)];
        var start = 0;
        for (var t = 0; t < envelope.Length; t++)
        {
            var end = FrameStart(t + 1, sampleRate, fps);
            var sum = 0.0;
            foreach (double x in audio[start..end])
            {
                sum += x * x;
            }

            envelope[t] = 20.0 * Math.Log10(Math.Sqrt(sum / (end - start)) + Epsilon);
            start = end;
        }

        return envelope;
    }

    private static void CheckRates(int sampleRate, int fps)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(fps);
        // Fewer samples than frames per second would leave frames without samples.
        ArgumentOutOfRangeException.ThrowIfLessThan(sampleRate, fps);
    }
}
