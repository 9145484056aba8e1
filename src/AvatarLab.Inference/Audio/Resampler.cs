namespace AvatarLab.Inference.Audio;

/// <summary>
/// Whole-signal sample-rate conversion with a Kaiser-windowed sinc polyphase filter, exact for
/// any pair of integer rates (the ratio is reduced to lowest terms, no drift). The filter's
/// cutoff sits below the lower of the two Nyquist frequencies (anti-aliasing when going down,
/// anti-imaging when going up): flat within 0.001 dB to 0.9 of that Nyquist frequency, at least
/// 100 dB down from it on. <see cref="StreamingResampler"/> gives the same samples chunk by chunk.
/// </summary>
public static class Resampler
{
    /// <summary>
    /// Resamples a whole signal. The output has ceil(length * toRate / fromRate) samples, output
    /// n at input time n * fromRate / toRate; samples outside the input count as zeros. Equal
    /// rates return a copy.
    /// </summary>
    public static float[] Resample(ReadOnlySpan<float> input, int fromRate, int toRate)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(fromRate);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(toRate);
        if (fromRate == toRate)
        {
            return input.ToArray();
        }

        var kernel = new ResamplerKernel(fromRate, toRate);
        var output = new float[checked((int)kernel.OutputLength(input.Length))];
        var scratch = new double[kernel.Taps];
        var padded = new float[kernel.Taps];
        for (var n = 0L; n < output.Length; n++)
        {
            var first = kernel.FirstInput(n);
            ReadOnlySpan<float> window;
            if (first >= 0 && first + kernel.Taps <= input.Length)
            {
                window = input.Slice((int)first, kernel.Taps);
            }
            else
            {
                // Near the ends: copy the part inside the signal next to zeros.
                Array.Clear(padded);
                var from = Math.Max(first, 0);
                var to = Math.Min(first + kernel.Taps, input.Length);
                if (to > from)
                {
                    input[(int)from..(int)to].CopyTo(padded.AsSpan((int)(from - first)));
                }

                window = padded;
            }

            output[n] = kernel.Apply(n, window, scratch);
        }

        return output;
    }
}
