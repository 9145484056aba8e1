using System.Globalization;

namespace AvatarLab.Inference.Measures;

/// <summary>
/// metrics.py's reaction probes on single channels: lip sync, smile mirroring and head-nod
/// energy, with its constants generalised from 25 fps to any frame rate by their durations.
/// </summary>
internal static class ReactionProbes
{
    /// <summary>Nod band of head_pitch in Hz (metrics.NOD_BAND_HZ): nods, not posture drift nor tracking jitter.</summary>
    public const double NodLowHz = 1.0;

    /// <summary>See <see cref="NodLowHz"/>.</summary>
    public const double NodHighHz = 4.0;

    /// <summary>Odd padding of the zero-phase filter at each end (metrics.NOD_PADLEN, scipy's default for two sections).</summary>
    public const int NodPadLength = 15;

    /// <summary>Added to both mean nod energies, rad^2 (metrics.NOD_EPS): a still head gives ratio 1, not 0/0.</summary>
    public const double NodEpsilon = 1e-8;

    /// <summary>Fewest frames a correlation or energy is reported on: 1 s (metrics.MIN_CORR_FRAMES, 25 at 25 fps).</summary>
    public static int MinCorrelationFrames(int fps) => fps;

    /// <summary>Longest smile-mirroring lag: floor(1.5 s * fps) frames (metrics.SMILE_MAX_LAG_FRAMES, 37 at 25 fps).</summary>
    public static int SmileMaxLagFrames(int fps) => fps * 3 / 2;

    /// <summary>
    /// PCC(jaw_open, loudness) over the frames where the avatar speaks and jaw_open is finite
    /// (metrics.lip_sync); the three inputs are equally long.
    /// </summary>
    public static MeasureValue LipSync(ReadOnlySpan<double> jaw, ReadOnlySpan<double> loudnessDb, ReadOnlySpan<bool> speaking, int fps)
    {
        if (jaw.Length != loudnessDb.Length || jaw.Length != speaking.Length)
        {
            throw new ArgumentException("jaw, loudness and speaking flags must be equally long");
        }

        var (jawUsed, loudnessUsed, spoken) = (new List<double>(), new List<double>(), 0);
        for (var t = 0; t < jaw.Length; t++)
        {
            spoken += speaking[t] ? 1 : 0;
            if (speaking[t] && double.IsFinite(jaw[t]))
            {
                jawUsed.Add(jaw[t]);
                loudnessUsed.Add(loudnessDb[t]);
            }
        }

        var needed = MinCorrelationFrames(fps);
        if (jawUsed.Count < needed)
        {
            return MeasureValue.Missing(spoken == 0
                ? "the avatar never speaks"
                : $"the avatar speaks in only {jawUsed.Count} frames with a finite jaw_open; lip sync needs {needed} (1 s)");
        }

        return MeasureValue.Of(Correlation.Pcc(jawUsed.ToArray(), loudnessUsed.ToArray()));
    }

    /// <summary>
    /// Best PCC(user smile[t], avatar smile[t + lag]) over lags 0..1.5 s and that lag in seconds
    /// (metrics.smile_mirroring): the largest signed PCC, the shortest lag on ties.
    /// </summary>
    public static (MeasureValue Pcc, MeasureValue LagSeconds) SmileMirroring(ReadOnlySpan<double> userSmile, ReadOnlySpan<double> avatarSmile, int fps)
    {
        var curve = Correlation.Lagged(userSmile, avatarSmile, SmileMaxLagFrames(fps), MinCorrelationFrames(fps));
        if (Correlation.BestLag(curve) is not { } best)
        {
            var reason = TooShort(userSmile.Length, fps);
            return (MeasureValue.Missing(reason), MeasureValue.Missing(reason));
        }

        return (MeasureValue.Of(curve[best]), MeasureValue.Of((double)best / fps));
    }

    /// <summary>
    /// Energy per frame (rad^2) of head_pitch in the nod band (metrics.nod_band_energy):
    /// non-finite samples interpolated linearly (held beyond the ends), zero-phase band-pass,
    /// squared. Null when no sample is finite.
    /// </summary>
    /// <exception cref="ArgumentException">Not more than <see cref="NodPadLength"/> frames, or fps too low for the band.</exception>
    public static double[]? NodBandEnergy(ReadOnlySpan<double> pitch, int fps)
    {
        if (FillGaps(pitch) is not { } filled)
        {
            return null;
        }

        var band = ButterworthBandPass.Order2(NodLowHz, NodHighHz, fps).FiltFilt(filled, NodPadLength);
        for (var i = 0; i < band.Length; i++)
        {
            band[i] *= band[i];
        }

        return band;
    }

    /// <summary>
    /// (mean nod energy while the user speaks + eps) / (mean while silent + eps) (metrics.nod_energy_ratio).
    /// </summary>
    public static MeasureValue NodEnergyRatio(ReadOnlySpan<double> pitch, ReadOnlySpan<bool> userSpeaking, int fps)
    {
        if (pitch.Length != userSpeaking.Length)
        {
            throw new ArgumentException("head_pitch and the user's speaking flags must be equally long");
        }

        if (!(NodHighHz < fps / 2.0))
        {
            return MeasureValue.Missing($"at {fps} fps the nod band ({NodLowHz:0}-{NodHighHz:0} Hz) is not below half the frame rate");
        }

        var n = pitch.Length;
        var speaking = userSpeaking.Count(true);
        var needed = MinCorrelationFrames(fps);
        if (n <= NodPadLength)
        {
            return MeasureValue.Missing($"only {n} frames; the nod filter needs at least {NodPadLength + 1}");
        }

        if (speaking < needed || n - speaking < needed)
        {
            var (what, count) = speaking < needed ? ("speaks", speaking) : ("is silent", n - speaking);
            return MeasureValue.Missing($"the user {what} in only {count} frames; the nod ratio needs {needed} (1 s) of speech and of silence");
        }

        if (NodBandEnergy(pitch, fps) is not { } energy)
        {
            return MeasureValue.Missing("head_pitch has no finite value");
        }

        double sumSpeaking = 0, sumSilent = 0;
        for (var t = 0; t < n; t++)
        {
            if (userSpeaking[t])
            {
                sumSpeaking += energy[t];
            }
            else
            {
                sumSilent += energy[t];
            }
        }

        return MeasureValue.Of((sumSpeaking / speaking + NodEpsilon) / (sumSilent / (n - speaking) + NodEpsilon));
    }

    /// <summary>The reason for a correlation over too few frames.</summary>
    public static string TooShort(int frames, int fps) =>
        string.Create(CultureInfo.InvariantCulture, $"only {frames} frames; a correlation needs at least {MinCorrelationFrames(fps)} (1 s)");

    /// <summary>
    /// Linear interpolation over non-finite samples, as numpy.interp(t, t[ok], x[ok]): between
    /// finite neighbours a and b, slope (x[b] - x[a]) / (b - a) times (t - a) plus x[a]; the
    /// first and last finite values beyond the ends. Null when none is finite.
    /// </summary>
    internal static double[]? FillGaps(ReadOnlySpan<double> x)
    {
        var known = new List<int>();
        for (var t = 0; t < x.Length; t++)
        {
            if (double.IsFinite(x[t]))
            {
                known.Add(t);
            }
        }

        if (known.Count == 0)
        {
            return null;
        }

        var filled = x.ToArray();
        filled.AsSpan(0, known[0]).Fill(x[known[0]]);
        filled.AsSpan(known[^1] + 1).Fill(x[known[^1]]);
        for (var i = 0; i + 1 < known.Count; i++)
        {
            var (a, b) = (known[i], known[i + 1]);
            var slope = (x[b] - x[a]) / (b - a);
            for (var t = a + 1; t < b; t++)
            {
                filled[t] = slope * (t - a) + x[a];
            }
        }

        return filled;
    }
}
