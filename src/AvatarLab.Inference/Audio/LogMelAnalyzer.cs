namespace AvatarLab.Inference.Audio;

/// <summary>
/// One analysis frame of <see cref="LogMel"/>: window, 512-point power spectrum, mel filters,
/// log and normalisation, in double. Owns its scratch, so it allocates nothing per frame; one
/// per thread (the whole-signal call and each <see cref="LogMelStream"/> make their own).
/// </summary>
internal sealed class LogMelAnalyzer
{
    private readonly LogMel _spec;
    private readonly double[] _frame = new double[LogMel.FftSize];
    private readonly double[] _re = new double[LogMel.FftSize / 2];
    private readonly double[] _im = new double[LogMel.FftSize / 2];
    private readonly double[] _power = new double[LogMel.FftSize / 2 + 1];

    public LogMelAnalyzer(LogMel spec)
    {
        _spec = spec;
    }

    /// <summary>
    /// Writes the <see cref="LogMel.MelBins"/> features of the analysis frame whose
    /// <see cref="LogMel.WindowSize"/> samples are <paramref name="window"/> (zeros before time 0
    /// already in place) into <paramref name="output"/>.
    /// </summary>
    public void Analyze(ReadOnlySpan<float> window, Span<float> output)
    {
        var hann = _spec.Window;
        for (var n = 0; n < LogMel.WindowSize; n++)
        {
            _frame[n] = window[n] * hann[n];
        }

        // _frame[WindowSize..FftSize] stays zero: the right zero padding to n_fft.
        _spec.Fft.PowerSpectrum(_frame, _re, _im, _power);
        var filters = _spec.Filters;
        for (var m = 0; m < output.Length; m++)
        {
            var mel = filters.Apply(m, _power);
            output[m] = (float)((Math.Log(Math.Max(mel, LogMel.LogFloor)) - LogMel.LogOffset) / LogMel.LogScale);
        }
    }
}
