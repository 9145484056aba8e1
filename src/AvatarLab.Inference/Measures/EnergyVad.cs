namespace AvatarLab.Inference.Measures;

/// <summary>
/// Voice activity from loudness alone, for recordings that come without speaking labels: the
/// twin of <c>energy_vad</c> in training/avatarlab_train/golden_measures.py (docs/measures.md).
/// </summary>
/// <remarks>
/// threshold = max(floor + <see cref="MarginDb"/>, peak - <see cref="RangeDb"/>), floor and
/// peak being order statistics of the finite frames' loudness (sorted[(n - 1) * percent / 100],
/// integer division, no interpolation, so both languages pick the same frame). A frame speaks
/// when its loudness is above the threshold; then inner gaps of at most
/// <see cref="MaxGapMilliseconds"/> are filled and runs shorter than
/// <see cref="MinRunMilliseconds"/> are dropped. Durations become whole frames as
/// (ms * fps + 500) / 1000. The dB values were chosen on 12 synthetic conversations other than
/// the example they are tested on (docs/measures.md). Limits: a recording with speech in more
/// than nine tenths of its frames puts the floor inside speech, and laughter counts as speech.
/// </remarks>
public static class EnergyVad
{
    /// <summary>Percentile of the background estimate: pauses fill well over a tenth of a conversation.</summary>
    public const int FloorPercent = 10;

    /// <summary>Percentile of the loud-speech estimate: a single click or cough cannot raise it.</summary>
    public const int PeakPercent = 99;

    /// <summary>Speech is at least this far above the background.</summary>
    public const double MarginDb = 6.0;

    /// <summary>Speech is at most this far below its loud vowels (quieter is a breath, an echo or the other speaker's bleed).</summary>
    public const double RangeDb = 18.0;

    /// <summary>Longest quiet gap inside speech that is filled: a stop closure inside a word, as synth's labels bridge.</summary>
    public const int MaxGapMilliseconds = 40;

    /// <summary>Shortest run kept as speech: shorter ones are clicks.</summary>
    public const int MinRunMilliseconds = 80;

    /// <summary>Speaking flags for a loudness envelope (<see cref="Loudness.Envelope"/>).</summary>
    /// <param name="loudnessDb">Loudness per video frame in dB.</param>
    /// <param name="fps">Video frames per second (for the durations).</param>
    public static SpeechActivity Detect(ReadOnlySpan<double> loudnessDb, int fps)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(fps);
        var levels = Levels(loudnessDb);
        var speaking = new bool[loudnessDb.Length];
        for (var t = 0; t < speaking.Length; t++)
        {
            // False everywhere for a NaN threshold (no finite frame).
            speaking[t] = loudnessDb[t] > levels.ThresholdDb;
        }

        var raw = (bool[])speaking.Clone();
        var maxGap = MillisecondsToFrames(MaxGapMilliseconds, fps);
        foreach (var (start, end) in Runs(raw, false))
        {
            if (start > 0 && end < raw.Length && end - start <= maxGap)
            {
                speaking.AsSpan(start, end - start).Fill(true);
            }
        }

        var minRun = Math.Max(1, MillisecondsToFrames(MinRunMilliseconds, fps));
        foreach (var (start, end) in Runs(speaking, true))
        {
            if (end - start < minRun)
            {
                speaking.AsSpan(start, end - start).Clear();
            }
        }

        return new SpeechActivity(speaking, levels);
    }

    /// <summary>The floor, peak and threshold of a loudness envelope; all NaN when no frame is finite.</summary>
    public static VadLevels Levels(ReadOnlySpan<double> loudnessDb)
    {
        var sorted = new List<double>(loudnessDb.Length);
        foreach (var x in loudnessDb)
        {
            if (double.IsFinite(x))
            {
                sorted.Add(x);
            }
        }

        if (sorted.Count == 0)
        {
            return new VadLevels(double.NaN, double.NaN, double.NaN);
        }

        sorted.Sort();
        var floor = sorted[(sorted.Count - 1) * FloorPercent / 100];
        var peak = sorted[(sorted.Count - 1) * PeakPercent / 100];
        return new VadLevels(Math.Max(floor + MarginDb, peak - RangeDb), floor, peak);
    }

    private static int MillisecondsToFrames(int milliseconds, int fps) => (int)(((long)milliseconds * fps + 500) / 1000);

    /// <summary>[start, end) of each run of <paramref name="value"/>, found before any change is made.</summary>
    private static List<(int Start, int End)> Runs(bool[] flags, bool value)
    {
        var runs = new List<(int, int)>();
        for (var t = 0; t < flags.Length;)
        {
            if (flags[t] != value)
            {
                t++;
                continue;
            }

            var start = t;
            while (t < flags.Length && flags[t] == value)
            {
                t++;
            }

            runs.Add((start, t));
        }

        return runs;
    }
}
