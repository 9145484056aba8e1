namespace AvatarLab.Inference.Audio;

/// <summary>
/// <see cref="LogMel"/> over audio that arrives in chunks of any size: video frame f is written
/// once samples up to (f + 1) * <see cref="LogMel.SamplesPerVideoFrame"/> have arrived, with
/// the same numbers as <see cref="LogMel.Compute"/> on the whole signal (the definition is
/// causal and has no data-dependent normalisation). <see cref="Push(ReadOnlySpan{float}, Span{float})"/>
/// allocates nothing. Not thread-safe: one instance per stream.
/// </summary>
public sealed class LogMelStream
{
    private readonly LogMel _spec;
    private readonly LogMelAnalyzer _analyzer;

    // The last WindowSize samples; the hop being filled occupies the tail.
    private readonly float[] _history = new float[LogMel.WindowSize];
    private readonly float[] _frame;
    private int _hopFill;
    private int _hopInFrame;

    internal LogMelStream(LogMel spec)
    {
        _spec = spec;
        _analyzer = new LogMelAnalyzer(spec);
        _frame = new float[spec.FeatureDim];
    }

    /// <summary>Feature values per video frame.</summary>
    public int FeatureDim => _spec.FeatureDim;

    /// <summary>Samples pushed since the start.</summary>
    public long SamplesReceived { get; private set; }

    /// <summary>Video frames written since the start.</summary>
    public long FramesEmitted { get; private set; }

    /// <summary>How many video frames the next push of <paramref name="sampleCount"/> samples completes.</summary>
    public int FramesReadyAfter(int sampleCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(sampleCount);
        return (int)((SamplesReceived + sampleCount) / _spec.SamplesPerVideoFrame - FramesEmitted);
    }

    /// <summary>
    /// Adds samples and writes each video frame they complete, row-major, into
    /// <paramref name="features"/>, which must hold <see cref="FramesReadyAfter"/>(samples.Length) * <see cref="FeatureDim"/> values.
    /// </summary>
    /// <returns>The number of video frames written.</returns>
    public int Push(ReadOnlySpan<float> samples, Span<float> features)
    {
        var ready = FramesReadyAfter(samples.Length);
        if (features.Length < ready * FeatureDim)
        {
            throw new ArgumentException($"features holds {features.Length} values, this push completes {ready} frames of {FeatureDim}", nameof(features));
        }

        const int historyKept = LogMel.WindowSize - LogMel.Hop;
        var written = 0;
        while (!samples.IsEmpty)
        {
            var take = Math.Min(LogMel.Hop - _hopFill, samples.Length);
            samples[..take].CopyTo(_history.AsSpan(historyKept + _hopFill));
            _hopFill += take;
            SamplesReceived += take;
            samples = samples[take..];
            if (_hopFill < LogMel.Hop)
            {
                break;
            }

            _analyzer.Analyze(_history, _frame.AsSpan(_hopInFrame * _spec.MelBins, _spec.MelBins));
            Array.Copy(_history, LogMel.Hop, _history, 0, historyKept);
            _hopFill = 0;
            if (++_hopInFrame == _spec.FramesPerVideoFrame)
            {
                _frame.CopyTo(features[(written * FeatureDim)..]);
                written++;
                FramesEmitted++;
                _hopInFrame = 0;
            }
        }

        return written;
    }

    /// <summary>Adds samples and returns the completed video frames (allocates the result).</summary>
    public float[] Push(ReadOnlySpan<float> samples)
    {
        var features = new float[FramesReadyAfter(samples.Length) * FeatureDim];
        Push(samples, features);
        return features;
    }

    /// <summary>Forgets all audio: the next push starts at time 0 again.</summary>
    public void Reset()
    {
        Array.Clear(_history);
        _hopFill = 0;
        _hopInFrame = 0;
        SamplesReceived = 0;
        FramesEmitted = 0;
    }
}
