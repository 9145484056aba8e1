namespace AvatarLab.Inference.Tests.Audio;

/// <summary>Test signals and their measurement.</summary>
internal static class Signals
{
    public static float[] Tone(double hz, int rate, int samples, double amplitude = 0.5)
    {
        var tone = new float[samples];
        for (var n = 0; n < samples; n++)
        {
            tone[n] = (float)(amplitude * Math.Sin(2 * Math.PI * hz * n / rate));
        }

        return tone;
    }

    public static float[] Noise(int samples, int seed, double amplitude = 0.3)
    {
        var random = new Random(seed);
        var noise = new float[samples];
        for (var n = 0; n < samples; n++)
        {
            noise[n] = (float)(amplitude * (2 * random.NextDouble() - 1));
        }

        return noise;
    }

    /// <summary>
    /// Amplitude of the component at <paramref name="hz"/> by projection on sin and cos over a
    /// whole number of periods of the middle of the signal (the ends hold filter transients).
    /// </summary>
    public static double AmplitudeAt(ReadOnlySpan<float> signal, double hz, int rate)
    {
        var margin = signal.Length / 4;
        var length = signal.Length - 2 * margin;
        var periods = Math.Floor(length * hz / rate);
        length = periods > 0 ? (int)Math.Round(periods * rate / hz) : length;
        double s = 0, c = 0;
        for (var n = 0; n < length; n++)
        {
            var phase = 2 * Math.PI * hz * (n + margin) / rate;
            s += signal[n + margin] * Math.Sin(phase);
            c += signal[n + margin] * Math.Cos(phase);
        }

        return 2 * Math.Sqrt(s * s + c * c) / length;
    }

    /// <summary>Root mean square of the middle half of a signal.</summary>
    public static double MiddleRms(ReadOnlySpan<float> signal)
    {
        var middle = signal[(signal.Length / 4)..(signal.Length * 3 / 4)];
        var sum = 0.0;
        foreach (var v in middle)
        {
            sum += (double)v * v;
        }

        return Math.Sqrt(sum / middle.Length);
    }

    public static double Decibels(double ratio) => 20 * Math.Log10(ratio);

    /// <summary>Splits a length into random chunk sizes from 0 to <paramref name="maxChunk"/>.</summary>
    public static IEnumerable<(int Start, int Length)> RandomChunks(int total, int maxChunk, int seed)
    {
        var random = new Random(seed);
        for (var start = 0; start < total;)
        {
            var length = Math.Min(random.Next(0, maxChunk + 1), total - start);
            yield return (start, length);
            start += length;
        }
    }
}
