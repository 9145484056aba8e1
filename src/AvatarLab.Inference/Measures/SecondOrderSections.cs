namespace AvatarLab.Inference.Measures;

/// <summary>
/// A cascade of biquads, each row [b0, b1, b2, 1, a1, a2] as scipy's "sos" output, run as
/// scipy.signal.sosfilt (direct form II transposed) and sosfiltfilt (zero phase, odd padding,
/// steady-state initial conditions from sosfilt_zi).
/// </summary>
internal sealed class SecondOrderSections
{
    private readonly double[][] _sections;

    /// <param name="sections">Rows [b0, b1, b2, a0, a1, a2] with a0 = 1.</param>
    public SecondOrderSections(double[][] sections)
    {
        if (sections.Length == 0 || sections.Any(s => s.Length != 6 || s[3] != 1.0))
        {
            throw new ArgumentException("sections must be rows [b0, b1, b2, 1, a1, a2]", nameof(sections));
        }

        _sections = [.. sections.Select(s => (double[])s.Clone())];
        InitialState = SteadyState(_sections);
    }

    /// <summary>The rows [b0, b1, b2, 1, a1, a2].</summary>
    public IReadOnlyList<IReadOnlyList<double>> Sections => _sections;

    /// <summary>
    /// scipy.signal.sosfilt_zi: the state [section][2] of the cascade after a unit step has
    /// settled, so that filtering from state zi * x[0] starts without a transient.
    /// </summary>
    public double[][] InitialState { get; }

    /// <summary>
    /// scipy.signal.sosfiltfilt(sos, x, padtype="odd", padlen=padLength): x extended at each end
    /// by its point reflection (2 x[0] - x[padLength..1], 2 x[^1] - x[^2..^(padLength+1)]), filtered
    /// forward from state zi * first value, the result filtered backward the same way, padding cut.
    /// </summary>
    /// <exception cref="ArgumentException">x is not longer than <paramref name="padLength"/>.</exception>
    public double[] FiltFilt(ReadOnlySpan<double> x, int padLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(padLength);
        if (x.Length <= padLength)
        {
            throw new ArgumentException($"{x.Length} samples are too few for padding {padLength} (needs more than {padLength})", nameof(x));
        }

        var n = x.Length;
        var ext = new double[n + 2 * padLength];
        for (var i = 0; i < padLength; i++)
        {
            ext[i] = 2 * x[0] - x[padLength - i];
            ext[padLength + n + i] = 2 * x[n - 1] - x[n - 2 - i];
        }

        x.CopyTo(ext.AsSpan(padLength));
        Filter(ext);
        Array.Reverse(ext);
        Filter(ext);
        Array.Reverse(ext);
        return ext.AsSpan(padLength, n).ToArray();
    }

    /// <summary>sosfilt in place, starting from <see cref="InitialState"/> scaled by the first sample.</summary>
    public void Filter(Span<double> x)
    {
        if (x.IsEmpty)
        {
            return;
        }

        var first = x[0];
        var state = InitialState.Select(z => new[] { z[0] * first, z[1] * first }).ToArray();
        for (var i = 0; i < x.Length; i++)
        {
            var value = x[i];
            for (var s = 0; s < _sections.Length; s++)
            {
                var c = _sections[s];
                var z = state[s];
                var output = c[0] * value + z[0];
                z[0] = c[1] * value - c[4] * output + z[1];
                z[1] = c[2] * value - c[5] * output;
                value = output;
            }

            x[i] = value;
        }
    }

    private static double[][] SteadyState(double[][] sections)
    {
        // scipy.signal.lfilter_zi of one biquad solves (I - A^T) zi = b[1:] - a[1:] b0 with A the
        // companion matrix [[-a1, -a2], [1, 0]]; for two states that is the closed form below.
        // Each section starts where the sections before it settle: scaled by their DC gains.
        var zi = new double[sections.Length][];
        var scale = 1.0;
        for (var s = 0; s < sections.Length; s++)
        {
            var (b0, b1, b2, a1, a2) = (sections[s][0], sections[s][1], sections[s][2], sections[s][4], sections[s][5]);
            var (r0, r1) = (b1 - a1 * b0, b2 - a2 * b0);
            var z0 = (r0 + r1) / (1 + a1 + a2);
            zi[s] = [scale * z0, scale * (r1 - a2 * z0)];
            scale *= (b0 + b1 + b2) / (1 + a1 + a2);
        }

        return zi;
    }
}
