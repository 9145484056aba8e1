using AvatarLab.Inference.Measures;
using Xunit.Abstractions;

namespace AvatarLab.Inference.Tests.Measures;

public class EnergyVadTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("user")]
    [InlineData("avatar")]
    public void Detect_ExampleConversation_MatchesPythonTwinExactly(string who)
    {
        var golden = MeasuresGolden.Json.GetProperty("example").GetProperty("vad").GetProperty(who);
        var loudness = Loudness.Envelope(MeasuresGolden.ExampleAudio(who), MeasuresGolden.SampleRate, MeasuresGolden.Fps);

        var vad = EnergyVad.Detect(loudness, MeasuresGolden.Fps);

        Assert.Equal(MeasuresGolden.Flags(golden.GetProperty("speaking")), vad.Speaking);
        var levels = MeasuresGolden.Numbers(golden.GetProperty("threshold_floor_peak"));
        Assert.NotNull(vad.Levels);
        MeasuresGolden.AssertClose(levels, [vad.Levels.Value.ThresholdDb, vad.Levels.Value.FloorDb, vad.Levels.Value.PeakDb], 1e-9);
    }

    [Theory]
    [InlineData("user", 0.94)]
    [InlineData("avatar", 0.95)]
    public void Detect_ExampleConversation_AgreesWithSyntheticSpeakingLabels(string who, double atLeast)
    {
        // The labels mark speech only (synth.py: within 30 dB of the speaker's peak, on the clean
        // voice); the VAD hears the recording, laughter and background noise included.
        var example = MeasuresGolden.Json.GetProperty("example");
        var labels = MeasuresGolden.Flags(example.GetProperty("labels").GetProperty(who));
        var loudness = Loudness.Envelope(MeasuresGolden.ExampleAudio(who), MeasuresGolden.SampleRate, MeasuresGolden.Fps);

        var speaking = EnergyVad.Detect(loudness, MeasuresGolden.Fps).Speaking;

        var agree = speaking.Zip(labels).Count(p => p.First == p.Second) / (double)labels.Length;
        var truePositives = speaking.Zip(labels).Count(p => p.First && p.Second);
        var recall = truePositives / (double)labels.Count(l => l);
        var precision = truePositives / (double)speaking.Count(s => s);
        var laughter = example.GetProperty("vad").GetProperty(who).GetProperty("false_positives_on_laughter").GetInt32();
        var falsePositives = speaking.Zip(labels).Count(p => p.First && !p.Second);
        output.WriteLine($"{who}: agreement {agree:P1}, precision {precision:P1}, recall {recall:P1}; " +
                         $"{falsePositives} false positives, {laughter} of them on laughter");
        Assert.True(agree >= atLeast, $"agreement {agree:P1}");
        Assert.True(recall >= 0.95, $"recall {recall:P1}");
        Assert.Equal(example.GetProperty("vad").GetProperty(who).GetProperty("vs_labels").GetProperty("agreement").GetDouble(), agree, 12);
    }

    [Theory]
    [InlineData("floor_decides")]
    [InlineData("peak_decides")]
    [InlineData("digital_silence")]
    [InlineData("nan_frames")]
    [InlineData("noise_only")]
    public void Detect_SyntheticEnvelopes_MatchesPythonTwinExactly(string name)
    {
        var golden = MeasuresGolden.Json.GetProperty("vad_cases").EnumerateArray().Single(c => c.GetProperty("name").GetString() == name);

        var vad = EnergyVad.Detect(MeasuresGolden.Numbers(golden.GetProperty("loudness")), golden.GetProperty("fps").GetInt32());

        Assert.Equal(MeasuresGolden.Flags(golden.GetProperty("speaking")), vad.Speaking);
        var levels = vad.Levels!.Value;
        MeasuresGolden.AssertClose(MeasuresGolden.Numbers(golden.GetProperty("threshold_floor_peak")), [levels.ThresholdDb, levels.FloorDb, levels.PeakDb], 1e-12);
    }

    [Fact]
    public void Detect_QuietVoiceOverSteadyNoise_ThresholdIsFloorPlus6Db()
    {
        // Background -50 dB, a voice at -45 then -43 dB: max(-50 + 6, -43 - 18) = -44 dB.
        var loudness = "....vvvv....uuuu......................".Select(ch => ch switch { 'v' => -45.0, 'u' => -43.0, _ => -50.0 }).ToArray();

        var vad = EnergyVad.Detect(loudness, 25);

        Assert.Equal(-44.0, vad.Levels!.Value.ThresholdDb, 12);
        Assert.Equal("............SSSS......................", Render(vad.Speaking));
    }

    [Fact]
    public void Detect_SteadyNoiseOnly_NeverSpeaks()
    {
        // A session where the avatar never talks: loudness wobbles by 1 dB around -45 dB.
        var loudness = Enumerable.Range(0, 250).Select(t => -45 + Math.Sin(t * 0.7)).ToArray();

        var vad = EnergyVad.Detect(loudness, 25);

        Assert.Equal(0, vad.SpeakingFrames);
    }

    [Fact]
    public void Detect_OneFrameGapInsideSpeech_IsFilled_TwoFrameGapIsNot()
    {
        var loudness = Envelope("....SS.SS..SSSS....................");

        var speaking = EnergyVad.Detect(loudness, 25).Speaking;

        Assert.Equal("....SSSSS..SSSS....................", Render(speaking));
    }

    [Fact]
    public void Detect_OneFrameBlip_IsDropped()
    {
        var speaking = EnergyVad.Detect(Envelope("......S.....SSS.....................S"), 25).Speaking;

        Assert.Equal("............SSS......................", Render(speaking));
    }

    [Fact]
    public void Detect_QuieterSpeech_AboveFloorButMoreThan18DbBelowPeak_IsSilence()
    {
        // Floor -60 dB, peak -10 dB: the threshold is max(-54, -28) = -28 dB, so -35 dB frames are out.
        const string pattern = "....SSSS....qqqq.................................";

        var vad = EnergyVad.Detect(Envelope(pattern), 25);

        Assert.Equal(-28.0, vad.Levels!.Value.ThresholdDb, 12);
        Assert.Equal(pattern.Replace('q', '.'), Render(vad.Speaking));
    }

    [Fact]
    public void Detect_ManyNaNFrames_AreLeftOutOfTheLevels()
    {
        // NaN loudness comes from NaN audio. Sorted in with the rest (C# sorts NaN first), a
        // sixth of NaN frames would make the floor NaN and silence the whole recording.
        const string pattern = "....SSSS......SSS.......";
        var loudness = Envelope(pattern + pattern);
        for (var t = pattern.Length; t < loudness.Length; t += 3)
        {
            loudness[t] = double.NaN;
        }

        var vad = EnergyVad.Detect(loudness, 25);

        Assert.Equal(-60.0, vad.Levels!.Value.FloorDb);
        // The NaN frames inside speech (30, 39) are one-frame gaps, filled like any other.
        Assert.Equal(pattern + pattern, Render(vad.Speaking));
    }

    [Fact]
    public void Detect_Empty_GivesNoFlagsAndNaNLevels()
    {
        var vad = EnergyVad.Detect([], 25);

        Assert.Empty(vad.Speaking);
        Assert.True(double.IsNaN(vad.Levels!.Value.ThresholdDb));
    }

    /// <summary>'S' = -10 dB speech, 'q' = -35 dB, '.' = -60 dB background.</summary>
    private static double[] Envelope(string pattern) =>
        [.. pattern.Select(ch => ch switch { 'S' => -10.0, 'q' => -35.0, _ => -60.0 })];

    private static string Render(bool[] speaking) => new([.. speaking.Select(s => s ? 'S' : '.')]);
}
