namespace AvatarLab.Inference.Audio;

/// <summary>
/// Power spectrum of a real signal of N points (a power of two) by a radix-2 complex FFT of
/// N/2 points over the even/odd samples packed as re/im, then the split step
/// X[k] = E[k] + e^(-2 pi i k / N) O[k]. Twiddles and the bit-reversal permutation are
/// tabulated once; callers pass scratch, so an instance is immutable, shareable and the
/// transform allocates nothing.
/// </summary>
internal sealed class RealFft
{
    private readonly int _half;
    private readonly int[] _bitReverse;
    private readonly double[] _cos;
    private readonly double[] _sin;
    private readonly double[] _splitCos;
    private readonly double[] _splitSin;

    public RealFft(int size)
    {
        if (size < 4 || (size & (size - 1)) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(size), size, "FFT size must be a power of two, at least 4");
        }

        Size = size;
        _half = size / 2;
        var bits = System.Numerics.BitOperations.Log2((uint)_half);
        _bitReverse = new int[_half];
        for (var i = 0; i < _half; i++)
        {
            var r = 0;
            for (var b = 0; b < bits; b++)
            {
                r |= ((i >> b) & 1) << (bits - 1 - b);
            }

            _bitReverse[i] = r;
        }

        // e^(-2 pi i k / (N/2)) for the butterflies, e^(-2 pi i k / N) for the split.
        _cos = new double[_half / 2];
        _sin = new double[_half / 2];
        for (var k = 0; k < _half / 2; k++)
        {
            _cos[k] = Math.Cos(2 * Math.PI * k / _half);
            _sin[k] = -Math.Sin(2 * Math.PI * k / _half);
        }

        _splitCos = new double[_half + 1];
        _splitSin = new double[_half + 1];
        for (var k = 0; k <= _half; k++)
        {
            _splitCos[k] = Math.Cos(2 * Math.PI * k / size);
            _splitSin[k] = -Math.Sin(2 * Math.PI * k / size);
        }
    }

    /// <summary>N, the number of real input points.</summary>
    public int Size { get; }

    /// <summary>
    /// Writes |X[k]|^2 for k = 0..N/2 of <paramref name="x"/> (N points) into
    /// <paramref name="power"/> (N/2 + 1); <paramref name="re"/> and <paramref name="im"/> are
    /// scratch of N/2 each.
    /// </summary>
    public void PowerSpectrum(ReadOnlySpan<double> x, Span<double> re, Span<double> im, Span<double> power)
    {
        var half = _half;
        for (var i = 0; i < half; i++)
        {
            var j = _bitReverse[i];
            re[j] = x[2 * i];
            im[j] = x[2 * i + 1];
        }

        for (var size = 2; size <= half; size *= 2)
        {
            var span = size / 2;
            var step = half / size;
            for (var start = 0; start < half; start += size)
            {
                for (var k = 0; k < span; k++)
                {
                    var wr = _cos[k * step];
                    var wi = _sin[k * step];
                    var a = start + k;
                    var b = a + span;
                    var tr = re[b] * wr - im[b] * wi;
                    var ti = re[b] * wi + im[b] * wr;
                    re[b] = re[a] - tr;
                    im[b] = im[a] - ti;
                    re[a] += tr;
                    im[a] += ti;
                }
            }
        }

        // Z = E + iO with E, O the spectra of the even and odd samples:
        // E[k] = (Z[k] + conj Z[N/2-k]) / 2, O[k] = (Z[k] - conj Z[N/2-k]) / 2i.
        power[0] = Square(re[0] + im[0]);
        power[half] = Square(re[0] - im[0]);
        for (var k = 1; k < half; k++)
        {
            double zr = re[k], zi = im[k], cr = re[half - k], ci = -im[half - k];
            var er = 0.5 * (zr + cr);
            var ei = 0.5 * (zi + ci);
            var odr = 0.5 * (zi - ci);
            var odi = -0.5 * (zr - cr);
            var xr = er + _splitCos[k] * odr - _splitSin[k] * odi;
            var xi = ei + _splitCos[k] * odi + _splitSin[k] * odr;
            power[k] = xr * xr + xi * xi;
        }
    }

    private static double Square(double v) => v * v;
}
