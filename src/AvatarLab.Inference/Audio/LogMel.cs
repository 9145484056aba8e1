namespace AvatarLab.Inference.Audio;

/// <summary>
/// The built-in audio features (manifest <c>features.audio.type = "logmel"</c>): causal log-mel
/// exactly as training/avatarlab_train/features.py computes it, restated in
/// docs/audio-features.md. For 16 kHz audio: analysis frame h is the 400 samples ending at
/// (h + 1) * 160 (zeros before time 0), periodic Hann window, zero-padded 512-point power
/// spectrum, HTK mel filters from 0 to 8000 Hz with peak 1, ln(max(mel, 1e-10)), then
/// (x + 4) / 4. Video frame f holds analysis frames 4f..4f+3 as feature[f, j * melBins + m].
/// Computed in double, returned as float. Immutable and thread-safe; <see cref="LogMelStream"/>
/// gives the same numbers incrementally.
/// </summary>
public sealed class LogMel : IAudioFeatureExtractor
{
    /// <summary>The only sample rate the definition covers (its mel filters end at 8000 Hz, the Nyquist frequency).</summary>
    public const int SampleRate = 16000;

    /// <summary>Samples between analysis frames (10 ms).</summary>
    public const int Hop = 160;

    /// <summary>Samples per analysis window (25 ms).</summary>
    public const int WindowSize = 400;

    /// <summary>FFT length; the window is zero-padded on the right to it.</summary>
    public const int FftSize = 512;

    /// <summary>Floor applied to mel power before the log.</summary>
    public const double LogFloor = 1e-10;

    /// <summary>Fixed normalisation (log - LogOffset) / LogScale: no per-utterance statistics (features.py).</summary>
    public const double LogOffset = -4.0;

    /// <summary>See <see cref="LogOffset"/>.</summary>
    public const double LogScale = 4.0;

    /// <summary>Lowest and highest band edge of the mel filters, in Hz.</summary>
    public const double MinHz = 0.0;

    /// <summary>See <see cref="MinHz"/>.</summary>
    public const double MaxHz = 8000.0;

    /// <summary>Creates the features for a package's <c>melBins</c> and <c>framesPerVideoFrame</c>.</summary>
    /// <param name="melBins">Mel filters per analysis frame (80 for the reference model).</param>
    /// <param name="framesPerVideoFrame">
    /// Analysis frames per video frame: sampleRate / fps / 160 (4 at 16 kHz and 25 fps).
    /// </param>
    public LogMel(int melBins = 80, int framesPerVideoFrame = 4)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(melBins);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(melBins, FftSize / 2);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(framesPerVideoFrame);
        MelBins = melBins;
        FramesPerVideoFrame = framesPerVideoFrame;
        Window = HannWindow();
        Fft = new RealFft(FftSize);
        Filters = new MelFilterbank(melBins, FftSize, SampleRate, MinHz, MaxHz);
    }

    /// <summary>
    /// The features a manifest declares, after checking that its rates fit the definition:
    /// sampleRate 16000 and sampleRate / fps = 160 * framesPerVideoFrame.
    /// </summary>
    /// <exception cref="ArgumentException">The manifest's numbers do not fit; the message says which.</exception>
    public static LogMel ForManifest(int sampleRate, int fps, int melBins, int framesPerVideoFrame)
    {
        if (sampleRate != SampleRate)
        {
            throw new ArgumentException($"built-in logmel features are defined for {SampleRate} Hz audio; the manifest's sampleRate is {sampleRate}", nameof(sampleRate));
        }

        if (fps <= 0 || sampleRate % fps != 0 || sampleRate / fps != Hop * framesPerVideoFrame)
        {
            throw new ArgumentException(
                $"logmel framesPerVideoFrame {framesPerVideoFrame} does not fit {fps} fps: a video frame must be exactly framesPerVideoFrame hops of {Hop} samples", nameof(framesPerVideoFrame));
        }

        if (melBins is <= 0 or > FftSize / 2)
        {
            throw new ArgumentException($"logmel melBins must be 1..{FftSize / 2}, the manifest says {melBins}", nameof(melBins));
        }

        return new LogMel(melBins, framesPerVideoFrame);
    }

    /// <summary>Mel filters per analysis frame.</summary>
    public int MelBins { get; }

    /// <summary>Analysis frames per video frame.</summary>
    public int FramesPerVideoFrame { get; }

    /// <summary>Audio samples per video frame (640 at 25 fps).</summary>
    public int SamplesPerVideoFrame => FramesPerVideoFrame * Hop;

    /// <inheritdoc />
    public int FeatureDim => FramesPerVideoFrame * MelBins;

    internal double[] Window { get; }

    internal RealFft Fft { get; }

    internal MelFilterbank Filters { get; }

    /// <summary>Video frames in <paramref name="samples"/> samples (a trailing partial frame is dropped).</summary>
    public int FrameCount(long samples) => (int)(samples / SamplesPerVideoFrame);

    /// <inheritdoc />
    /// <param name="audio16k">Mono 16 kHz audio starting at time 0.</param>
    public float[] Compute(ReadOnlySpan<float> audio16k)
    {
        var frames = FrameCount(audio16k.Length);
        var features = new float[frames * FeatureDim];
        var analyzer = new LogMelAnalyzer(this);
        var padded = new float[WindowSize];
        var hops = frames * FramesPerVideoFrame;
        for (var h = 0; h < hops; h++)
        {
            // Analysis frame h covers [(h + 1) * Hop - WindowSize, (h + 1) * Hop).
            var start = (h + 1) * Hop - WindowSize;
            ReadOnlySpan<float> window;
            if (start >= 0)
            {
                window = audio16k.Slice(start, WindowSize);
            }
            else
            {
                padded.AsSpan(0, -start).Clear();
                audio16k[..(WindowSize + start)].CopyTo(padded.AsSpan(-start));
                window = padded;
            }

            analyzer.Analyze(window, features.AsSpan(h * MelBins, MelBins));
        }

        return features;
    }

    /// <summary>Starts a stream of these features at time 0.</summary>
    public LogMelStream CreateStream() => new(this);

    private static double[] HannWindow()
    {
        // Periodic Hann: w[n] = 0.5 - 0.5 cos(2 pi n / 400).
        var window = new double[WindowSize];
        for (var n = 0; n < WindowSize; n++)
        {
            window[n] = 0.5 - 0.5 * Math.Cos(2.0 * Math.PI * n / WindowSize);
        }

        return window;
    }
}
