namespace AvatarLab.Inference.Audio;

/// <summary>
/// The polyphase filter of a rational sample-rate change from/to = M/L (in lowest terms):
/// output sample n sits at input time t = n * M / L and is
/// <c>y[n] = sum_i x[i] * g(t - i)</c> with the Kaiser-windowed sinc
/// <c>g(tau) = 2 fc sinc(2 fc tau) * I0(beta * sqrt(1 - (tau / W)^2)) / I0(beta)</c> for |tau| &lt; W,
/// fc = <see cref="CutoffFraction"/> * min(from, to) / 2 / from (cycles per input sample) and
/// W = <see cref="ZeroCrossings"/> / (2 fc). Since t - i only takes L fractional values, the taps
/// of each phase p = (n * M) mod L are tabulated once; samples outside the signal are zeros.
/// Immutable and thread-safe; docs/audio-features.md restates the definition.
/// </summary>
internal sealed class ResamplerKernel
{
    /// <summary>Zero crossings of the sinc on each side: sets the transition width (about 5% of the cutoff).</summary>
    public const int ZeroCrossings = 64;

    /// <summary>Cutoff (-6 dB point) as a fraction of the lower Nyquist frequency; with 64 zero
    /// crossings the stop band starts at the lower Nyquist frequency and the pass band is flat to 0.9 of it.</summary>
    public const double CutoffFraction = 0.95;

    /// <summary>Kaiser beta for about 100 dB stop-band attenuation: 0.1102 * (100 - 8.7) (Kaiser's formula).</summary>
    public const double KaiserBeta = 10.06;

    // Above this many coefficients (odd rate pairs such as 44101 -> 16000 give L = 16000 phases)
    // the taps are computed per output sample instead of tabulated: slower, same numbers.
    private const int MaxTableSize = 1 << 19;

    private readonly double _cutoff;
    private readonly double _halfWidth;
    private readonly double _besselBeta;
    private readonly double[]? _table;

    public ResamplerKernel(int fromRate, int toRate)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(fromRate);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(toRate);
        var gcd = Gcd(fromRate, toRate);
        Up = toRate / gcd;
        Down = fromRate / gcd;
        _cutoff = CutoffFraction * 0.5 * Math.Min(fromRate, toRate) / fromRate;
        _halfWidth = ZeroCrossings / (2 * _cutoff);
        _besselBeta = BesselI0(KaiserBeta);
        Half = (int)Math.Floor(_halfWidth) + 1;
        Taps = 2 * Half;
        if ((long)Up * Taps <= MaxTableSize)
        {
            _table = new double[Up * Taps];
            for (var p = 0; p < Up; p++)
            {
                FillTaps(p, _table.AsSpan(p * Taps, Taps));
            }
        }
    }

    /// <summary>L: the output rate over the gcd, also the number of phases.</summary>
    public int Up { get; }

    /// <summary>M: the input rate over the gcd.</summary>
    public int Down { get; }

    /// <summary>Output n reads inputs floor(t) - Half + 1 .. floor(t) + Half.</summary>
    public int Half { get; }

    /// <summary>Coefficients per phase (2 * Half).</summary>
    public int Taps { get; }

    /// <summary>Output samples for <paramref name="inputLength"/> inputs: those with t &lt; length, ceil(length * L / M).</summary>
    public long OutputLength(long inputLength) => (inputLength * Up + Down - 1) / Down;

    /// <summary>Index of the first input output <paramref name="n"/> reads.</summary>
    public long FirstInput(long n) => n * Down / Up - Half + 1;

    /// <summary>
    /// Output <paramref name="n"/> from the <see cref="Taps"/> inputs starting at
    /// <see cref="FirstInput"/>; <paramref name="scratch"/> (Taps long) is used only when the
    /// taps are not tabulated. The sum runs in double in tap order, so every caller gets the same bits.
    /// </summary>
    public float Apply(long n, ReadOnlySpan<float> inputs, Span<double> scratch)
    {
        var phase = (int)(n * Down % Up);
        ReadOnlySpan<double> taps;
        if (_table is not null)
        {
            taps = _table.AsSpan(phase * Taps, Taps);
        }
        else
        {
            FillTaps(phase, scratch);
            taps = scratch[..Taps];
        }

        var sum = 0.0;
        for (var j = 0; j < taps.Length; j++)
        {
            sum += inputs[j] * taps[j];
        }

        return (float)sum;
    }

    private void FillTaps(int phase, Span<double> taps)
    {
        var frac = (double)phase / Up;
        for (var j = 0; j < Taps; j++)
        {
            // Tap j reads input floor(t) - Half + 1 + j, at distance tau = t - i.
            var tau = frac + Half - 1 - j;
            taps[j] = Kernel(tau);
        }
    }

    private double Kernel(double tau)
    {
        var r = tau / _halfWidth;
        if (Math.Abs(r) >= 1)
        {
            return 0;
        }

        var x = 2 * _cutoff * tau;
        var sinc = x == 0 ? 1.0 : Math.Sin(Math.PI * x) / (Math.PI * x);
        return 2 * _cutoff * sinc * BesselI0(KaiserBeta * Math.Sqrt(1 - r * r)) / _besselBeta;
    }

    /// <summary>Modified Bessel function of the first kind, order 0, by its power series.</summary>
    internal static double BesselI0(double x)
    {
        var sum = 1.0;
        var term = 1.0;
        var q = x * x / 4;
        for (var k = 1; k < 500; k++)
        {
            term *= q / ((double)k * k);
            sum += term;
            if (term < sum * 1e-17)
            {
                break;
            }
        }

        return sum;
    }

    private static int Gcd(int a, int b)
    {
        while (b != 0)
        {
            (a, b) = (b, a % b);
        }

        return a;
    }
}
