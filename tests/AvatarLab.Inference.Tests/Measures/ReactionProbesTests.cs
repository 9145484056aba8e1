using AvatarLab.Inference.Measures;
using AvatarLab.Inference.Motion;
using Xunit.Abstractions;

namespace AvatarLab.Inference.Tests.Measures;

public class ReactionProbesTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("clean", "avatar_motion.npy")]
    [InlineData("damaged", "avatar_motion_damaged.npy")]
    public void NodBandEnergy_ExampleTrack_MatchesMetricsPyPerFrame(string golden, string file)
    {
        var expected = MeasuresGolden.Numbers(MeasuresGolden.Json.GetProperty(golden).GetProperty("nod_band_energy"));
        var pitch = Column(MeasuresGolden.Floats(file), FaceParams.HeadPitch);

        var energy = ReactionProbes.NodBandEnergy(pitch, 25);

        Assert.NotNull(energy);
        // Energies are ~1e-5 rad^2; relative to the largest one the tracks agree to rounding.
        var diff = MeasuresGolden.AssertClose(expected, energy, 1e-9 * expected.Max());
        output.WriteLine($"{golden}: max abs diff {diff:E2} (largest energy {expected.Max():E2})");
    }

    [Fact]
    public void FillGaps_HolesAtTheStartAndInside_HeldAndInterpolated()
    {
        double[] x = [double.NaN, double.NaN, 1.0, double.NaN, double.NaN, 4.0, double.PositiveInfinity];

        var filled = ReactionProbes.FillGaps(x);

        Assert.Equal([1.0, 1.0, 1.0, 2.0, 3.0, 4.0, 4.0], filled!);
        Assert.Null(ReactionProbes.FillGaps([double.NaN, double.NaN]));
    }

    [Fact]
    public void NodEnergyRatio_NodsOnlyWhileTheUserSpeaks_IsFarAboveOne()
    {
        // 2.5 Hz nods during the first 4 s, in which the user speaks; a still head after.
        var pitch = Enumerable.Range(0, 250).Select(t => t < 100 ? 0.05 * Math.Sin(2 * Math.PI * 2.5 * t / 25) : 0.0).ToArray();
        var speaking = Enumerable.Range(0, 250).Select(t => t < 100).ToArray();

        var ratio = ReactionProbes.NodEnergyRatio(pitch, speaking, 25);

        Assert.True(ratio.Value > 10, ratio.ToString());
        Assert.True(ReactionProbes.NodEnergyRatio(pitch, [.. speaking.Select(s => !s)], 25).Value < 0.1);
    }

    [Fact]
    public void NodEnergyRatio_StillHead_IsOne()
    {
        var speaking = Enumerable.Range(0, 100).Select(t => t % 50 < 25).ToArray();

        Assert.Equal(1.0, ReactionProbes.NodEnergyRatio(new double[100], speaking, 25).Value);
    }

    [Fact]
    public void NodEnergyRatio_TooFewFramesOrNoSilence_IsMissingWithReason()
    {
        var tooShort = ReactionProbes.NodEnergyRatio(new double[15], new bool[15], 25);
        var alwaysSpeaking = ReactionProbes.NodEnergyRatio(new double[100], Enumerable.Repeat(true, 100).ToArray(), 25);
        var noPitch = ReactionProbes.NodEnergyRatio(Enumerable.Repeat(double.NaN, 60).ToArray(), [.. Enumerable.Range(0, 60).Select(t => t < 30)], 25);

        Assert.Null(tooShort.Value);
        Assert.Equal("only 15 frames; the nod filter needs at least 16", tooShort.Reason);
        Assert.Contains("the user is silent in only 0 frames", alwaysSpeaking.Reason);
        Assert.Equal("head_pitch has no finite value", noPitch.Reason);
    }

    [Fact]
    public void LipSync_JawFollowsLoudnessWhileSpeaking_IsOneAndIgnoresSilence()
    {
        var loudness = Enumerable.Range(0, 80).Select(t => -40 + 10 * Math.Sin(t * 0.3)).ToArray();
        var speaking = Enumerable.Range(0, 80).Select(t => t < 50).ToArray();
        // While silent the jaw does the opposite, which must not count.
        var jaw = loudness.Select((l, t) => speaking[t] ? (l + 40) / 20 + 0.5 : -l).ToArray();

        Assert.Equal(1.0, ReactionProbes.LipSync(jaw, loudness, speaking, 25).Value!.Value, 12);
    }

    [Fact]
    public void LipSync_TooFewSpeakingFrames_IsMissingWithReason()
    {
        var loudness = Enumerable.Range(0, 80).Select(t => (double)t).ToArray();
        var jaw = (double[])loudness.Clone();
        jaw[3] = double.NaN;
        var speaking = Enumerable.Range(0, 80).Select(t => t < 25).ToArray();

        var some = ReactionProbes.LipSync(jaw, loudness, speaking, 25);
        var never = ReactionProbes.LipSync(jaw, loudness, new bool[80], 25);

        Assert.Null(some.Value);
        Assert.Equal("the avatar speaks in only 24 frames with a finite jaw_open; lip sync needs 25 (1 s)", some.Reason);
        Assert.Equal("the avatar never speaks", never.Reason);
    }

    [Fact]
    public void SmileMirroring_AvatarSmilesHalfASecondLater_FindsTheLag()
    {
        var random = new Random(9);
        var user = Enumerable.Range(0, 300).Select(_ => random.NextDouble()).ToArray();
        var avatar = new double[300];
        Array.Copy(user, 0, avatar, 12, 288);

        var (pcc, lag) = ReactionProbes.SmileMirroring(user, avatar, 25);

        Assert.Equal(1.0, pcc.Value!.Value, 12);
        Assert.Equal(0.48, lag.Value!.Value, 12);
    }

    [Fact]
    public void SmileMirroring_ShorterThanOneSecond_IsMissingWithReason()
    {
        var (pcc, lag) = ReactionProbes.SmileMirroring(new double[24], new double[24], 25);

        Assert.Equal("only 24 frames; a correlation needs at least 25 (1 s)", pcc.Reason);
        Assert.Equal(pcc.Reason, lag.Reason);
    }

    [Fact]
    public void SmileMaxLagFrames_Is37At25Fps()
    {
        Assert.Equal(37, ReactionProbes.SmileMaxLagFrames(25));
        Assert.Equal(45, ReactionProbes.SmileMaxLagFrames(30));
    }

    internal static double[] Column(float[] track, int channel) =>
        [.. Enumerable.Range(0, track.Length / MeasuresGolden.Channels).Select(f => (double)track[f * MeasuresGolden.Channels + channel])];
}
