using AvatarLab.Inference.Measures;
using Xunit.Abstractions;

namespace AvatarLab.Inference.Tests.Measures;

public class LoudnessTests(ITestOutputHelper output)
{
    // metrics.py sums pairwise, this sequentially: differences are ~1e-14 dB.
    private const double Tolerance = 1e-9;

    [Theory]
    [InlineData("user")]
    [InlineData("avatar")]
    public void Envelope_ExampleConversation_MatchesMetricsPy(string who)
    {
        var expected = MeasuresGolden.Numbers(MeasuresGolden.Json.GetProperty("example").GetProperty("loudness").GetProperty(who));

        var actual = Loudness.Envelope(MeasuresGolden.ExampleAudio(who), MeasuresGolden.SampleRate, MeasuresGolden.Fps);

        Assert.Equal(500, actual.Length);
        output.WriteLine($"{who}: max abs diff {MeasuresGolden.AssertClose(expected, actual, Tolerance):E2} dB");
    }

    [Fact]
    public void Envelope_OtherRates_MatchesGoldenMeasuresPy()
    {
        foreach (var c in MeasuresGolden.Json.GetProperty("loudness_rates").EnumerateArray())
        {
            var audio = MeasuresGolden.Floats(c.GetProperty("file").GetString()!);
            var (rate, fps) = (c.GetProperty("sample_rate").GetInt32(), c.GetProperty("fps").GetInt32());

            var actual = Loudness.Envelope(audio, rate, fps);

            var diff = MeasuresGolden.AssertClose(MeasuresGolden.Numbers(c.GetProperty("loudness")), actual, Tolerance);
            output.WriteLine($"{rate} Hz at {fps} fps, {actual.Length} frames: max abs diff {diff:E2} dB");
        }
    }

    [Fact]
    public void Envelope_DigitalSilence_IsMinus100Db()
    {
        var envelope = Loudness.Envelope(new float[640 * 3], 16000, 25);

        Assert.Equal([-100.0, -100.0, -100.0], envelope, (a, b) => Math.Abs(a - b) < 1e-12);
    }

    [Fact]
    public void Envelope_TrailingPartialFrame_IsIgnored()
    {
        Assert.Single(Loudness.Envelope(new float[1279], 16000, 25));
        Assert.Empty(Loudness.Envelope(new float[639], 16000, 25));
    }

    [Fact]
    public void Envelope_OneLoudFrame_RaisesOnlyThatFrame()
    {
        var audio = new float[640 * 3];
        audio.AsSpan(640, 640).Fill(0.5f);

        var envelope = Loudness.Envelope(audio, 16000, 25);

        Assert.Equal(20 * Math.Log10(0.5 + Loudness.Epsilon), envelope[1], 12);
        Assert.Equal(-100.0, envelope[0], 12);
        Assert.Equal(-100.0, envelope[2], 12);
    }

    [Fact]
    public void FrameStart_NonIntegerSamplesPerFrame_DoesNotDrift()
    {
        // 16 kHz at 30 fps is 533.3 samples per frame: frames are 533 or 534 long and frame
        // 18000 (10 minutes) starts exactly at 10 minutes of audio.
        Assert.Equal(533, Loudness.FrameStart(1, 16000, 30));
        Assert.Equal(1066, Loudness.FrameStart(2, 16000, 30));
        Assert.Equal(1600, Loudness.FrameStart(3, 16000, 30));
        Assert.Equal(600 * 16000, Loudness.FrameStart(18000, 16000, 30));
        Assert.Equal(18000, Loudness.FrameCount(600 * 16000, 16000, 30));
    }

    [Fact]
    public void Envelope_FewerSamplesPerSecondThanFrames_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Loudness.Envelope(new float[10], 20, 25));
    }
}
