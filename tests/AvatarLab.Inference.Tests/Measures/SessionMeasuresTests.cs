using AvatarLab.Inference.Measures;
using AvatarLab.Inference.Motion;
using Xunit.Abstractions;

namespace AvatarLab.Inference.Tests.Measures;

public class SessionMeasuresTests(ITestOutputHelper output)
{
    // Deterministic measures differ from metrics.py only in summation order.
    private const double Tolerance = 1e-9;

    // metrics.conversation_measures keys and the measures they are.
    private static readonly (string Key, MeasureKind Kind)[] _conversationKeys =
    [
        ("lip_sync", MeasureKind.LipSync),
        ("smile_mirror_pcc", MeasureKind.SmileMirroring),
        ("smile_mirror_lag_s", MeasureKind.SmileMirroringLag),
        ("nod_ratio", MeasureKind.NodRatio),
        ("var_pose", MeasureKind.VariancePose),
        ("var_expression", MeasureKind.VarianceExpression),
        ("nan_count", MeasureKind.NonFiniteCount),
        ("out_of_range_frac", MeasureKind.OutOfRangeFraction),
    ];

    [Theory]
    [InlineData("clean", "avatar_motion.npy", "labels")]
    [InlineData("clean", "avatar_motion.npy", "vad")]
    [InlineData("damaged", "avatar_motion_damaged.npy", "labels")]
    public void Compute_ExampleConversation_MatchesConversationMeasures(string golden, string file, string speaking)
    {
        var expected = MeasuresGolden.Json.GetProperty(golden).GetProperty("conversation_" + speaking);
        var labels = MeasuresGolden.Json.GetProperty("example").GetProperty("labels");
        var options = speaking == "labels"
            ? new SessionMeasureOptions { AvatarSpeaking = MeasuresGolden.Flags(labels.GetProperty("avatar")), UserSpeaking = MeasuresGolden.Flags(labels.GetProperty("user")) }
            : null;

        var report = Example(file, options);

        foreach (var (key, kind) in _conversationKeys)
        {
            var value = report[kind];
            Assert.True(value.Value.HasValue, $"{kind}: {value.Reason}");
            var want = expected.GetProperty(key).GetDouble();
            output.WriteLine($"{key}: Python {want:G10}, C# {value.Value:G10}, diff {Math.Abs(want - value.Value!.Value):E1}");
            Assert.True(Math.Abs(want - value.Value.Value) <= Tolerance, $"{key}: {want} vs {value.Value}");
        }
    }

    [Theory]
    [InlineData("clean", "avatar_motion.npy")]
    [InlineData("damaged", "avatar_motion_damaged.npy")]
    public void Compute_ExampleConversation_UserSyncMatchesLaggedPcc(string golden, string file)
    {
        var expected = MeasuresGolden.Json.GetProperty(golden).GetProperty("sync");

        var report = Example(file);

        var curves = expected.GetProperty("curves").EnumerateArray().Select(MeasuresGolden.Numbers).ToArray();
        Assert.Equal(12, report.UserSync.Count);
        for (var c = 0; c < 12; c++)
        {
            Assert.Equal(FaceParams.Names[c], report.UserSync[c].Channel);
            Assert.Equal(26, report.UserSync[c].PccByLag.Length);
            MeasuresGolden.AssertClose(curves[c], report.UserSync[c].PccByLag, Tolerance);
            var best = Array.IndexOf(curves[c], curves[c].Max());
            Assert.Equal(best / 25.0, report.UserSync[c].PeakLagSeconds);
        }

        Assert.Equal(expected.GetProperty("pose").GetDouble(), report[MeasureKind.UserSyncPose].Value!.Value, Tolerance);
        Assert.Equal(expected.GetProperty("expression").GetDouble(), report[MeasureKind.UserSyncExpression].Value!.Value, Tolerance);
    }

    [Fact]
    public void Compute_WithGroundTruth_RpccMatchesMetricsPy()
    {
        var expected = MeasuresGolden.Json.GetProperty("damaged");
        var options = new SessionMeasureOptions { AvatarGroundTruth = MeasuresGolden.Floats("avatar_motion.npy") };

        var damaged = Example("avatar_motion_damaged.npy", options);
        var truth = Example("avatar_motion.npy", options);

        Assert.Equal(expected.GetProperty("rpcc_pose").GetDouble(), damaged[MeasureKind.RpccPose].Value!.Value, Tolerance);
        Assert.Equal(expected.GetProperty("rpcc_expression").GetDouble(), damaged[MeasureKind.RpccExpression].Value!.Value, Tolerance);
        Assert.True(damaged[MeasureKind.RpccPose].Value > 0);
        Assert.Equal(0.0, truth[MeasureKind.RpccPose].Value);
        Assert.Equal("no ground-truth avatar track", Example("avatar_motion.npy")[MeasureKind.RpccPose].Reason);
    }

    [Fact]
    public void Compute_NoLabels_ReturnsLoudnessAndVadSpeechForBoth()
    {
        var report = Example("avatar_motion.npy");

        Assert.Equal(500, report.AvatarLoudnessDb!.Length);
        Assert.Equal(500, report.UserLoudnessDb!.Length);
        Assert.NotNull(report.AvatarSpeech!.Levels);
        Assert.Equal(MeasuresGolden.Flags(MeasuresGolden.Json.GetProperty("example").GetProperty("vad").GetProperty("user").GetProperty("speaking")),
            report.UserSpeech!.Speaking);
        Assert.Empty(report.Notes);
    }

    [Fact]
    public void Compute_Latent_OnlyVarianceSidAndNaNCount()
    {
        var track = MeasuresGolden.Floats("avatar_motion.npy");

        var report = SessionMeasures.Compute(track, 12, MeasuresGolden.Floats("user_motion.npy"), MeasuresGolden.ExampleAudio("avatar"),
            MeasuresGolden.ExampleAudio("user"), 25, 16000, faceParams: false);

        var computed = report.Values.Where(v => v.Value.Value.HasValue).Select(v => v.Key).Order().ToArray();
        Assert.Equal([MeasureKind.SidAll, MeasureKind.VarianceAll, MeasureKind.NonFiniteCount], computed);
        Assert.Equal(MeasuresGolden.Json.GetProperty("clean").GetProperty("variance_all").GetDouble(), report[MeasureKind.VarianceAll].Value!.Value, Tolerance);
        Assert.Equal(SessionMeasures.LatentReason, report[MeasureKind.LipSync].Reason);
        Assert.Empty(report.UserSync);
        Assert.NotNull(report.AvatarLoudnessDb);
        Assert.NotNull(report.UserSpeech);
    }

    [Fact]
    public void Compute_FaceParams_ReportsVarianceAndSidPerGroupNotOverAll()
    {
        var report = Example("avatar_motion.npy");

        Assert.NotNull(report[MeasureKind.SidPose].Value);
        Assert.NotNull(report[MeasureKind.SidExpression].Value);
        Assert.Equal("face-params: reported per group (pose, expression)", report[MeasureKind.SidAll].Reason);
        Assert.Equal(Enum.GetValues<MeasureKind>().Length, report.Values.Count);
    }

    [Fact]
    public void Compute_NoUserTrackNoAudio_ExplainsEveryMissingMeasure()
    {
        var report = SessionMeasures.Compute(MeasuresGolden.Floats("avatar_motion.npy"), 12, null, null, null, 25, 16000, faceParams: true);

        Assert.Equal("no avatar audio", report[MeasureKind.LipSync].Reason);
        Assert.Equal("no user motion track", report[MeasureKind.SmileMirroring].Reason);
        Assert.Equal("no user motion track", report[MeasureKind.UserSyncPose].Reason);
        Assert.Equal("no user audio and no user speaking labels", report[MeasureKind.NodRatio].Reason);
        Assert.Null(report.AvatarSpeech);
        Assert.All(report.Values.Values, v => Assert.True(v.Value.HasValue ^ v.Reason is not null));
    }

    [Fact]
    public void Compute_SilentAvatarAudio_SaysTheAvatarNeverSpeaks()
    {
        var silence = new float[500 * 640];

        var report = SessionMeasures.Compute(MeasuresGolden.Floats("avatar_motion.npy"), 12, null, silence, null, 25, 16000, faceParams: true);

        Assert.Equal("the avatar never speaks", report[MeasureKind.LipSync].Reason);
    }

    [Fact]
    public void Compute_TooFewFrames_GivesReasonsNotNumbers()
    {
        var avatar = MeasuresGolden.Floats("avatar_motion.npy").AsSpan(0, 20 * 12);
        var user = MeasuresGolden.Floats("user_motion.npy")[..(20 * 12)];
        var audio = MeasuresGolden.ExampleAudio("avatar")[..(20 * 640)];
        var labels = Enumerable.Range(0, 20).Select(t => t < 10).ToArray();

        var report = SessionMeasures.Compute(avatar, 12, user, audio, audio, 25, 16000, faceParams: true,
            new SessionMeasureOptions { AvatarSpeaking = labels, UserSpeaking = labels });

        Assert.Equal("only 20 frames; a correlation needs at least 25 (1 s)", report[MeasureKind.SmileMirroring].Reason);
        Assert.Equal("only 20 frames; a correlation needs at least 25 (1 s)", report[MeasureKind.UserSyncPose].Reason);
        Assert.Equal("the avatar speaks in only 10 frames with a finite jaw_open; lip sync needs 25 (1 s)", report[MeasureKind.LipSync].Reason);
        Assert.Contains("the user speaks in only 10 frames", report[MeasureKind.NodRatio].Reason);
        Assert.NotNull(report[MeasureKind.VariancePose].Value);
    }

    [Fact]
    public void Compute_ConstantAvatar_CorrelatesZeroNotNaN()
    {
        var still = Enumerable.Repeat(0.1f, 500 * 12).ToArray();

        var report = SessionMeasures.Compute(still, 12, MeasuresGolden.Floats("user_motion.npy"), MeasuresGolden.ExampleAudio("avatar"),
            MeasuresGolden.ExampleAudio("user"), 25, 16000, faceParams: true);

        Assert.Equal(0.0, report[MeasureKind.LipSync].Value);
        Assert.Equal(0.0, report[MeasureKind.SmileMirroring].Value);
        Assert.Equal(0.0, report[MeasureKind.SmileMirroringLag].Value);
        Assert.Equal(0.0, report[MeasureKind.UserSyncExpression].Value);
        Assert.Equal(1.0, report[MeasureKind.NodRatio].Value);
        Assert.Equal(0.0, report[MeasureKind.VariancePose].Value);
    }

    [Fact]
    public void Compute_TracksOfDifferentLengths_UsesTheSharedFramesAndSaysSo()
    {
        var audio = MeasuresGolden.ExampleAudio("avatar");
        var user = MeasuresGolden.Floats("user_motion.npy")[..(480 * 12)];

        var report = SessionMeasures.Compute(MeasuresGolden.Floats("avatar_motion.npy"), 12, user, audio[..(490 * 640)], null, 25, 16000, faceParams: true);
        var shortened = SessionMeasures.Compute(MeasuresGolden.Floats("avatar_motion.npy").AsSpan(0, 480 * 12), 12, user, null, null, 25, 16000, faceParams: true);

        Assert.Equal(
            [
                "Lip sync uses the first 490 frames (avatar motion 500, avatar audio 490, avatar speaking flags 490).",
                "Smile mirroring and synchrony with the user uses the first 480 frames (avatar motion 500, user motion 480).",
            ],
            report.Notes);
        Assert.Equal(shortened[MeasureKind.SmileMirroring], report[MeasureKind.SmileMirroring]);
        Assert.Equal(500, report.AvatarFrames);
    }

    [Fact]
    public void Compute_FaceParamsWithWrongChannelCount_Throws()
    {
        Assert.Throws<ArgumentException>(() => SessionMeasures.Compute(new float[20], 10, null, null, null, 25, 16000, faceParams: true));
    }

    [Fact]
    public void Catalog_ExplainsEveryMeasureInKindOrder()
    {
        var kinds = Enum.GetValues<MeasureKind>();

        Assert.Equal(kinds, MeasureCatalog.All.Select(m => m.Kind));
        Assert.All(kinds, k => Assert.Equal(k, MeasureCatalog.Describe(k).Kind));
        Assert.All(MeasureCatalog.All, m => Assert.EndsWith(".", m.Explanation));
        Assert.Contains("0.6", MeasureCatalog.Describe(MeasureKind.LipSync).Explanation);
    }

    private static SessionMeasureReport Example(string file, SessionMeasureOptions? options = null) =>
        SessionMeasures.Compute(MeasuresGolden.Floats(file), 12, MeasuresGolden.Floats("user_motion.npy"), MeasuresGolden.ExampleAudio("avatar"),
            MeasuresGolden.ExampleAudio("user"), MeasuresGolden.Fps, MeasuresGolden.SampleRate, faceParams: true, options);
}
