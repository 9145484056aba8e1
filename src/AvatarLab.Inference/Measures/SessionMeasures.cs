using System.Collections.ObjectModel;
using System.Globalization;
using AvatarLab.Inference.Motion;

namespace AvatarLab.Inference.Measures;

/// <summary>
/// The per-session motion-quality and reactivity measures of docs/measures.md: the C# twin of
/// training/avatarlab_train/metrics.py (same constants, same NaN handling), plus what a
/// dashboard needs that metrics.py leaves to its callers: speaking flags from an energy VAD
/// when there are no labels, SID fitted on the session itself, and PCC with the user at lags.
/// </summary>
public static class SessionMeasures
{
    /// <summary>Reason given for every face-params measure of a latent track.</summary>
    public const string LatentReason = "the avatar track is a latent, not face-params: only variance, SID and the NaN count are computed";

    /// <summary>The face-params channel groups and the measures each gets.</summary>
    private static readonly GroupMeasures[] _faceGroups =
    [
        new(ChannelGroup.Pose, MeasureKind.VariancePose, MeasureKind.SidPose, MeasureKind.UserSyncPose, MeasureKind.RpccPose),
        new(ChannelGroup.Expression, MeasureKind.VarianceExpression, MeasureKind.SidExpression, MeasureKind.UserSyncExpression, MeasureKind.RpccExpression),
    ];

    /// <summary>Computes every <see cref="MeasureKind"/> of one session.</summary>
    /// <param name="avatarMotion">The avatar's generated track, row-major [T, <paramref name="channels"/>].</param>
    /// <param name="channels">Values per frame: 12 for face-params/1, else the latent's size.</param>
    /// <param name="userMotion">The user's face-params/1 track, row-major [T, 12]; null when the session has none. Ignored for a latent.</param>
    /// <param name="avatarAudio">The audio the avatar speaks, mono; null when there is none.</param>
    /// <param name="userAudio">The user's audio, mono; null when there is none.</param>
    /// <param name="fps">Video frames per second of every track.</param>
    /// <param name="sampleRate">Sample rate of both audio tracks (at least <paramref name="fps"/>).</param>
    /// <param name="faceParams">Whether the avatar track is face-params/1.</param>
    /// <param name="options">Speaking labels, ground truth and the SID seed; defaults when null.</param>
    /// <remarks>
    /// Tracks of different lengths are not an error: each measure uses the frames its inputs
    /// share (their common start), and <see cref="SessionMeasureReport.Notes"/> says so.
    /// Non-finite motion values are tolerated as metrics.py does; the NaN count reports them.
    /// </remarks>
    public static SessionMeasureReport Compute(
        ReadOnlySpan<float> avatarMotion, int channels, float[]? userMotion, float[]? avatarAudio, float[]? userAudio,
        int fps, int sampleRate, bool faceParams, SessionMeasureOptions? options = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(channels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(fps);
        if (faceParams && channels != FaceParams.ChannelCount)
        {
            throw new ArgumentException($"face-params/1 has {FaceParams.ChannelCount} channels, got {channels}", nameof(channels));
        }

        options ??= SessionMeasureOptions.Default;
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.SidRestarts);
        var avatar = FrameMatrix.FromFloats(avatarMotion, channels);
        var avatarLoudness = avatarAudio is null ? null : Loudness.Envelope(avatarAudio, sampleRate, fps);
        var userLoudness = userAudio is null ? null : Loudness.Envelope(userAudio, sampleRate, fps);
        var session = new Session(avatar, fps, options)
        {
            AvatarLoudness = avatarLoudness,
            AvatarSpeech = Speech(options.AvatarSpeaking, avatarLoudness, fps),
            UserSpeech = Speech(options.UserSpeaking, userLoudness, fps),
            User = faceParams && userMotion is not null ? FaceParamsTrack(userMotion, nameof(userMotion)) : null,
            GroundTruth = faceParams && options.AvatarGroundTruth is { } gt ? FaceParamsTrack(gt, nameof(options.AvatarGroundTruth)) : null,
        };

        var values = new Dictionary<MeasureKind, MeasureValue>
        {
            [MeasureKind.NonFiniteCount] = MeasureValue.Of(MotionStatistics.NonFiniteCount(avatar)),
        };
        IReadOnlyList<ChannelSync> sync = [];
        if (faceParams)
        {
            sync = FaceParamsMeasures(session, values);
        }
        else
        {
            var names = Enumerable.Range(0, channels).Select(c => "c" + c.ToString(CultureInfo.InvariantCulture)).ToArray();
            var all = ChannelGroup.All(channels);
            values[MeasureKind.VarianceAll] = MotionStatistics.Variance(avatar, all, names);
            values[MeasureKind.SidAll] = SessionSid.Compute(avatar, all, names, options.SidSeed, options.SidRestarts);
            foreach (var kind in Enum.GetValues<MeasureKind>().Where(k => !values.ContainsKey(k)))
            {
                values[kind] = MeasureValue.Missing(LatentReason);
            }
        }

        return new SessionMeasureReport
        {
            Fps = fps,
            AvatarFrames = avatar.Frames,
            FaceParams = faceParams,
            Values = new ReadOnlyDictionary<MeasureKind, MeasureValue>(values),
            AvatarLoudnessDb = avatarLoudness,
            UserLoudnessDb = userLoudness,
            AvatarSpeech = session.AvatarSpeech,
            UserSpeech = session.UserSpeech,
            UserSync = sync,
            Notes = session.Notes,
        };
    }

    private static IReadOnlyList<ChannelSync> FaceParamsMeasures(Session s, Dictionary<MeasureKind, MeasureValue> values)
    {
        foreach (var g in _faceGroups)
        {
            values[g.Variance] = MotionStatistics.Variance(s.Avatar, g.Group, FaceParams.Names);
            values[g.Sid] = SessionSid.Compute(s.Avatar, g.Group, FaceParams.Names, s.Options.SidSeed, s.Options.SidRestarts);
            values[g.Rpcc] = Rpcc(s, g.Group);
        }

        const string perGroup = "face-params: reported per group (pose, expression)";
        values[MeasureKind.VarianceAll] = MeasureValue.Missing(perGroup);
        values[MeasureKind.SidAll] = MeasureValue.Missing(perGroup);
        values[MeasureKind.OutOfRangeFraction] = MotionStatistics.OutOfRangeFraction(s.Avatar);
        values[MeasureKind.LipSync] = LipSync(s);
        values[MeasureKind.NodRatio] = NodRatio(s);
        return UserMeasures(s, values);
    }

    private static MeasureValue LipSync(Session s)
    {
        if (s.AvatarLoudness is null || s.AvatarSpeech is null)
        {
            return MeasureValue.Missing("no avatar audio");
        }

        var n = s.CommonFrames("Lip sync", ("avatar audio", s.AvatarLoudness.Length), ("avatar speaking flags", s.AvatarSpeech.Speaking.Length));
        return ReactionProbes.LipSync(s.Avatar.Column(FaceParams.JawOpen, n), s.AvatarLoudness.AsSpan(0, n), s.AvatarSpeech.Speaking.AsSpan(0, n), s.Fps);
    }

    private static MeasureValue NodRatio(Session s)
    {
        if (s.UserSpeech is null)
        {
            return MeasureValue.Missing("no user audio and no user speaking labels");
        }

        var n = s.CommonFrames("The nod ratio", ("user speaking flags", s.UserSpeech.Speaking.Length));
        return ReactionProbes.NodEnergyRatio(s.Avatar.Column(FaceParams.HeadPitch, n), s.UserSpeech.Speaking.AsSpan(0, n), s.Fps);
    }

    private static IReadOnlyList<ChannelSync> UserMeasures(Session s, Dictionary<MeasureKind, MeasureValue> values)
    {
        if (s.User is null)
        {
            var none = MeasureValue.Missing("no user motion track");
            foreach (var kind in (MeasureKind[])[MeasureKind.SmileMirroring, MeasureKind.SmileMirroringLag, MeasureKind.UserSyncPose, MeasureKind.UserSyncExpression])
            {
                values[kind] = none;
            }

            return [];
        }

        var n = s.CommonFrames("Smile mirroring and synchrony with the user", ("user motion", s.User.Frames));
        (values[MeasureKind.SmileMirroring], values[MeasureKind.SmileMirroringLag]) = ReactionProbes.SmileMirroring(
            s.User.Column(FaceParams.MouthSmile, n), s.Avatar.Column(FaceParams.MouthSmile, n), s.Fps);

        var sync = new ChannelSync[FaceParams.ChannelCount];
        for (var c = 0; c < sync.Length; c++)
        {
            var curve = Correlation.Lagged(s.User.Column(c, n), s.Avatar.Column(c, n), s.Fps, ReactionProbes.MinCorrelationFrames(s.Fps));
            var best = Correlation.BestLag(curve);
            sync[c] = new ChannelSync(FaceParams.Names[c], curve, best is { } b ? curve[b] : null, best is { } l ? (double)l / s.Fps : null);
        }

        // The group value is the lag-0 term of rPCC: mean over channels of PCC(avatar, user).
        foreach (var g in _faceGroups)
        {
            var lag0 = g.Group.Channels.Select(c => sync[c].PccByLag[0]).ToArray();
            values[g.UserSync] = double.IsNaN(lag0[0]) ? MeasureValue.Missing(ReactionProbes.TooShort(n, s.Fps)) : MeasureValue.Of(lag0.Average());
        }

        return sync;
    }

    private static MeasureValue Rpcc(Session s, ChannelGroup group)
    {
        if (s.GroundTruth is null || s.User is null)
        {
            return MeasureValue.Missing(s.GroundTruth is null ? "no ground-truth avatar track" : "no user motion track");
        }

        var n = s.CommonFrames($"rPCC {group.Name}", ("user motion", s.User.Frames), ("ground truth", s.GroundTruth.Frames));
        return MeasureValue.Of(group.Channels.Average(c =>
        {
            var user = s.User.Column(c, n);
            return Math.Abs(Correlation.Pcc(s.GroundTruth.Column(c, n), user) - Correlation.Pcc(s.Avatar.Column(c, n), user));
        }));
    }

    private static SpeechActivity? Speech(bool[]? labels, double[]? loudness, int fps) =>
        labels is not null ? new SpeechActivity((bool[])labels.Clone(), null)
        : loudness is not null ? EnergyVad.Detect(loudness, fps)
        : null;

    private static FrameMatrix FaceParamsTrack(float[] values, string name)
    {
        if (values.Length % FaceParams.ChannelCount != 0)
        {
            throw new ArgumentException($"{values.Length} values are not whole frames of {FaceParams.ChannelCount} face-params channels", name);
        }

        return FrameMatrix.FromFloats(values, FaceParams.ChannelCount);
    }

    private sealed record GroupMeasures(ChannelGroup Group, MeasureKind Variance, MeasureKind Sid, MeasureKind UserSync, MeasureKind Rpcc);

    /// <summary>The inputs of one call, and the notes its measures leave.</summary>
    private sealed class Session(FrameMatrix avatar, int fps, SessionMeasureOptions options)
    {
        public FrameMatrix Avatar { get; } = avatar;

        public int Fps { get; } = fps;

        public SessionMeasureOptions Options { get; } = options;

        public double[]? AvatarLoudness { get; init; }

        public SpeechActivity? AvatarSpeech { get; init; }

        public SpeechActivity? UserSpeech { get; init; }

        public FrameMatrix? User { get; init; }

        public FrameMatrix? GroundTruth { get; init; }

        public List<string> Notes { get; } = [];

        /// <summary>Frames the avatar track shares with <paramref name="others"/>; a note when their lengths differ.</summary>
        public int CommonFrames(string measure, params (string Name, int Frames)[] others)
        {
            var n = others.Aggregate(Avatar.Frames, (min, o) => Math.Min(min, o.Frames));
            if (others.Any(o => o.Frames != Avatar.Frames))
            {
                var lengths = string.Join(", ", others.Select(o => $"{o.Name} {o.Frames}"));
                Notes.Add($"{measure} uses the first {n} frames (avatar motion {Avatar.Frames}, {lengths}).");
            }

            return n;
        }
    }
}
