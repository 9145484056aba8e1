namespace AvatarLab.Inference.Audio;

/// <summary>
/// Triangular mel filters exactly as features.py's <c>mel_filterbank</c>: HTK mel scale
/// m(f) = 2595 log10(1 + f / 700), melBins + 2 band edges equally spaced in mel from
/// minHz to maxHz, weights evaluated at the FFT bin
/// frequencies k * sampleRate / fftSize, peak 1. Stored sparsely (first bin and the non-zero
/// weights of each filter). Immutable.
/// </summary>
internal sealed class MelFilterbank
{
    private readonly int[] _firstBin;
    private readonly double[][] _weights;

    public MelFilterbank(int melBins, int fftSize, int sampleRate, double minHz, double maxHz)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(melBins);
        MelBins = melBins;
        var bins = fftSize / 2 + 1;

        // numpy.linspace: start + i * step, with the last point set to stop exactly.
        var melMin = HzToMel(minHz);
        var melMax = HzToMel(maxHz);
        var step = (melMax - melMin) / (melBins + 1);
        var edges = new double[melBins + 2];
        for (var i = 0; i < edges.Length; i++)
        {
            edges[i] = MelToHz(i == edges.Length - 1 ? melMax : i * step + melMin);
        }

        _firstBin = new int[melBins];
        _weights = new double[melBins][];
        var dense = new double[bins];
        for (var m = 0; m < melBins; m++)
        {
            double lo = edges[m], centre = edges[m + 1], hi = edges[m + 2];
            int first = -1, last = -1;
            for (var k = 0; k < bins; k++)
            {
                var hz = (double)k * sampleRate / fftSize;
                var rising = (hz - lo) / (centre - lo);
                var falling = (hi - hz) / (hi - centre);
                dense[k] = Math.Max(0.0, Math.Min(rising, falling));
                if (dense[k] > 0)
                {
                    first = first < 0 ? k : first;
                    last = k;
                }
            }

            // A filter narrower than the bin spacing has no weight at all: its output is 0
            // (then the log floor), as in features.py.
            _firstBin[m] = Math.Max(first, 0);
            _weights[m] = first < 0 ? [] : dense[first..(last + 1)];
        }
    }

    public int MelBins { get; }

    public static double HzToMel(double hz) => 2595.0 * Math.Log10(1.0 + hz / 700.0);

    public static double MelToHz(double mel) => 700.0 * (Math.Pow(10.0, mel / 2595.0) - 1.0);

    /// <summary>Filter <paramref name="m"/>'s output for a power spectrum.</summary>
    public double Apply(int m, ReadOnlySpan<double> power)
    {
        var weights = _weights[m];
        var bins = power.Slice(_firstBin[m], weights.Length);
        var sum = 0.0;
        for (var k = 0; k < weights.Length; k++)
        {
            sum += weights[k] * bins[k];
        }

        return sum;
    }

    /// <summary>The dense [melBins, fftSize / 2 + 1] matrix, for tests and documentation.</summary>
    internal double[,] ToDense(int bins)
    {
        var dense = new double[MelBins, bins];
        for (var m = 0; m < MelBins; m++)
        {
            for (var k = 0; k < _weights[m].Length; k++)
            {
                dense[m, _firstBin[m] + k] = _weights[m][k];
            }
        }

        return dense;
    }
}
