namespace AvatarLab.Inference.Measures;

/// <summary>
/// The motion-quality and reactivity measures of one session (<see cref="SessionMeasures.Compute"/>),
/// with the signals a dashboard draws next to them.
/// </summary>
public sealed record SessionMeasureReport
{
    /// <summary>Video frames per second of every per-frame array here.</summary>
    public required int Fps { get; init; }

    /// <summary>Frames of the avatar track.</summary>
    public required int AvatarFrames { get; init; }

    /// <summary>Whether the avatar track is face-params/1 (else a latent: only variance, SID and NaN count).</summary>
    public required bool FaceParams { get; init; }

    /// <summary>Every <see cref="MeasureKind"/>, each a value or a reason.</summary>
    public required IReadOnlyDictionary<MeasureKind, MeasureValue> Values { get; init; }

    /// <summary>One measure.</summary>
    public MeasureValue this[MeasureKind kind] => Values[kind];

    /// <summary>Loudness of the avatar audio per video frame in dB (<see cref="Loudness.Envelope"/>); null without avatar audio.</summary>
    public double[]? AvatarLoudnessDb { get; init; }

    /// <summary>Loudness of the user audio per video frame in dB; null without user audio.</summary>
    public double[]? UserLoudnessDb { get; init; }

    /// <summary>When the avatar speaks: given labels or the VAD on its audio; null when neither exists.</summary>
    public SpeechActivity? AvatarSpeech { get; init; }

    /// <summary>When the user speaks: given labels or the VAD on the user audio; null when neither exists.</summary>
    public SpeechActivity? UserSpeech { get; init; }

    /// <summary>PCC(avatar, user) per face-params channel at lags 0..1 s; empty without a user track or for a latent.</summary>
    public IReadOnlyList<ChannelSync> UserSync { get; init; } = [];

    /// <summary>Remarks on the inputs, e.g. tracks of different lengths and which frames each measure used.</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];
}
