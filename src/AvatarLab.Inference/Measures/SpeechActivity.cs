namespace AvatarLab.Inference.Measures;

/// <summary>
/// Who speaks when, one flag per video frame, and where the flags came from: given speaking
/// labels (<see cref="Levels"/> null) or <see cref="EnergyVad"/> (with its levels, which a
/// chart can draw on the loudness curve).
/// </summary>
/// <param name="Speaking">One flag per video frame.</param>
/// <param name="Levels">The VAD's levels in dB; null when the flags are given labels.</param>
public sealed record SpeechActivity(bool[] Speaking, VadLevels? Levels)
{
    /// <summary>Frames flagged as speaking.</summary>
    public int SpeakingFrames => Speaking.Count(s => s);
}

/// <summary>The levels <see cref="EnergyVad"/> derived from a loudness envelope, in dB.</summary>
/// <param name="ThresholdDb">A frame speaks when its loudness is above this (before gap filling and run pruning).</param>
/// <param name="FloorDb">Background estimate: the <see cref="EnergyVad.FloorPercent"/>th percentile of the loudness.</param>
/// <param name="PeakDb">Loud-speech estimate: the <see cref="EnergyVad.PeakPercent"/>th percentile of the loudness.</param>
public readonly record struct VadLevels(double ThresholdDb, double FloorDb, double PeakDb);
