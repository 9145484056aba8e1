using System.Numerics;

namespace AvatarLab.Inference.Measures;

/// <summary>
/// scipy.signal.butter(2, [low, high], btype="bandpass", fs=fps, output="sos"), designed the
/// way scipy does it: analog Butterworth prototype, frequencies pre-warped for the bilinear
/// transform, low-pass to band-pass, bilinear transform, and the two pole pairs made into
/// sections the way zpk2sos pairs them (the pole pair nearest the unit circle last, with the
/// zeros nearest it; the gain in the first section). Matches scipy's coefficients to rounding.
/// </summary>
internal static class ButterworthBandPass
{
    /// <summary>The order-2 band-pass (two sections) for a sampling rate of <paramref name="fps"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The band is not inside (0, fps / 2).</exception>
    public static SecondOrderSections Order2(double lowHz, double highHz, double fps)
    {
        if (!(lowHz > 0 && lowHz < highHz && highHz < fps / 2))
        {
            throw new ArgumentOutOfRangeException(nameof(fps), fps, $"the band {lowHz}-{highHz} Hz must lie inside (0, fps / 2)");
        }

        // scipy works at fs = 2 (frequencies relative to Nyquist): warped = 2 fs tan(pi Wn / fs).
        const double fs2 = 4.0;
        var low = fs2 * Math.Tan(Math.PI * (2 * lowHz / fps) / 2);
        var high = fs2 * Math.Tan(Math.PI * (2 * highHz / fps) / 2);
        var bandwidth = high - low;
        var centre = Math.Sqrt(low * high);

        // buttap(2): poles -exp(i pi m / 4), m = -1, 1; lp2bp_zpk: each pole p -> p bw/2 +- sqrt((p bw/2)^2 - wo^2).
        var analog = new List<Complex>();
        foreach (var m in (int[])[-1, 1])
        {
            var p = -Complex.Exp(Complex.ImaginaryOne * Math.PI * m / 4) * bandwidth / 2;
            var root = Complex.Sqrt(p * p - centre * centre);
            analog.Add(p + root);
            analog.Add(p - root);
        }

        // bilinear_zpk: z = (fs2 + s) / (fs2 - s); the two zeros at s = 0 go to z = 1, the two
        // at infinity to z = -1; the gain k bw^2 (from lp2bp) times prod(fs2 - zeros) / prod(fs2 - poles).
        var denominator = Complex.One;
        foreach (var p in analog)
        {
            denominator *= fs2 - p;
        }

        var gain = bandwidth * bandwidth * (fs2 * fs2 / denominator).Real;
        var upper = analog.Select(p => (fs2 + p) / (fs2 - p)).Where(p => p.Imaginary > 0).ToList();
        if (upper.Count != 2)
        {
            throw new InvalidOperationException("a Butterworth band-pass of order 2 has two complex pole pairs");
        }

        // zpk2sos fills sections from the last: the pole closest to the unit circle with its nearest zero.
        var near = upper.MinBy(p => Math.Abs(1 - p.Magnitude));
        var far = upper.First(p => p != near);
        var nearZero = near.Real >= 0 ? 1.0 : -1.0;
        return new SecondOrderSections(
        [
            Section(-nearZero, far, gain),
            Section(nearZero, near, 1.0),
        ]);
    }

    /// <summary>gain (z - zero)^2 / ((z - pole)(z - conj pole)) as [b0, b1, b2, 1, a1, a2].</summary>
    private static double[] Section(double zero, Complex pole, double gain) =>
        [gain, -2 * zero * gain, zero * zero * gain, 1.0, -2 * pole.Real, pole.Real * pole.Real + pole.Imaginary * pole.Imaginary];
}
