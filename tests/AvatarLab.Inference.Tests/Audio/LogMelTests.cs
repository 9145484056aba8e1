using AvatarLab.Inference.Audio;
using AvatarLab.Inference.IO;
using AvatarLab.Inference.Tests.Support;
using Xunit.Abstractions;

namespace AvatarLab.Inference.Tests.Audio;

public class LogMelTests(ITestOutputHelper output)
{
    // features.py computes in float64 and rounds to float32 at the end; the only differences
    // are FFT and summation order (~1e-12) plus that final rounding (~2e-7 at |x| ~ 4).
    private const double ParityTolerance = 1e-4;

    [Theory]
    [InlineData("user.wav", 80, "user_logmel80.npy")]
    [InlineData("avatar.wav", 80, "avatar_logmel80.npy")]
    [InlineData("user.wav", 40, "user_logmel40.npy")]
    public void Compute_ExampleConversation_MatchesFeaturesPy(string wav, int melBins, string golden)
    {
        var expected = NpyReader.Read(RepoPaths.Fixture($"golden/features/{golden}"));
        var audio = WavReader.Read(Path.Combine(RepoPaths.Root, "training", "example", wav), 60).Samples;
        var logMel = new LogMel(melBins);
        var frames = (int)expected.Shape[0];

        var actual = logMel.Compute(audio.AsSpan(0, frames * logMel.SamplesPerVideoFrame));

        Assert.Equal([frames, 4 * melBins], expected.Shape);
        var reference = (float[])expected.Data;
        Assert.Equal(reference.Length, actual.Length);
        var maxDiff = reference.Zip(actual, (e, a) => Math.Abs(e - a)).Max();
        output.WriteLine($"{wav}, {melBins} mel bins, {frames} frames: max abs diff {maxDiff:E2}");
        Assert.True(maxDiff <= ParityTolerance, $"max abs diff {maxDiff}");
    }

    [Fact]
    public void Compute_Silence_IsTheNormalisedLogFloor()
    {
        var features = new LogMel().Compute(new float[1280]);

        var floor = (float)((Math.Log(1e-10) + 4) / 4);
        Assert.Equal(2 * 320, features.Length);
        Assert.All(features, v => Assert.Equal(floor, v));
    }

    [Fact]
    public void Compute_TrailingPartialFrame_IsDropped()
    {
        var logMel = new LogMel();

        Assert.Equal(logMel.FeatureDim, logMel.Compute(new float[1279]).Length);
        Assert.Empty(logMel.Compute(new float[639]));
    }

    [Fact]
    public void Compute_ChangeAfterFrameEnd_LeavesEarlierFramesUnchanged()
    {
        var logMel = new LogMel();
        var audio = Signals.Noise(640 * 5, seed: 3);
        var before = logMel.Compute(audio);

        // Frames 0..2 end at sample 3 * 640; everything from there on may change freely.
        for (var i = 3 * 640; i < audio.Length; i++)
        {
            audio[i] = 0.9f;
        }

        var after = logMel.Compute(audio);

        Assert.Equal(before.AsSpan(0, 3 * 320).ToArray(), after.AsSpan(0, 3 * 320).ToArray());
        Assert.NotEqual(before.AsSpan(3 * 320, 320).ToArray(), after.AsSpan(3 * 320, 320).ToArray());
    }

    [Fact]
    public void Compute_1kHzTone_PeaksInTheMelBinAround1kHz()
    {
        var logMel = new LogMel();
        var features = logMel.Compute(Signals.Tone(1000, 16000, 6400));

        // Last analysis frame of frame 5: no zero history left in its window.
        var bins = features.AsSpan(5 * 320 + 3 * 80, 80).ToArray();
        var peak = Array.IndexOf(bins, bins.Max());

        // Mel of 1 kHz is 1000 mel; band centres are spaced 2840 / 81 = 35 mel apart from 0.
        var centre = MelFilterbank.MelToHz((peak + 1) * MelFilterbank.HzToMel(8000) / 81);
        Assert.InRange(centre, 950, 1050);
    }

    [Fact]
    public void FeatureDim_IsMelBinsTimesAnalysisFramesPerVideoFrame()
    {
        var logMel = new LogMel(melBins: 64, framesPerVideoFrame: 2);

        Assert.Equal(128, logMel.FeatureDim);
        Assert.Equal(320, logMel.SamplesPerVideoFrame);
        Assert.Equal(3 * 128, logMel.Compute(new float[1000]).Length);
    }

    [Fact]
    public void ForManifest_ReferenceNumbers_Gives320Values()
    {
        Assert.Equal(320, LogMel.ForManifest(16000, 25, 80, 4).FeatureDim);
    }

    [Theory]
    [InlineData(22050, 25, 80, 4, "16000 Hz")]
    [InlineData(16000, 30, 80, 4, "does not fit 30 fps")]
    [InlineData(16000, 25, 80, 3, "framesPerVideoFrame 3")]
    [InlineData(16000, 25, 300, 4, "melBins must be 1..256")]
    public void ForManifest_NumbersThatDoNotFit_ThrowSayingWhich(int sampleRate, int fps, int melBins, int framesPerVideoFrame, string expected)
    {
        var ex = Assert.Throws<ArgumentException>(() => LogMel.ForManifest(sampleRate, fps, melBins, framesPerVideoFrame));

        Assert.Contains(expected, ex.Message);
    }

    [Fact]
    public void Constructor_ZeroMelBins_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new LogMel(melBins: 0));
    }

    [Fact]
    public void PowerSpectrum_RandomInput_MatchesDirectDft()
    {
        var fft = new RealFft(512);
        var x = Signals.Noise(512, seed: 4).Select(v => (double)v).ToArray();
        var power = new double[257];

        fft.PowerSpectrum(x, new double[256], new double[256], power);

        for (var k = 0; k <= 256; k++)
        {
            double re = 0, im = 0;
            for (var n = 0; n < 512; n++)
            {
                re += x[n] * Math.Cos(2 * Math.PI * k * n / 512);
                im -= x[n] * Math.Sin(2 * Math.PI * k * n / 512);
            }

            Assert.Equal(re * re + im * im, power[k], 1e-9);
        }
    }

    [Fact]
    public void Filterbank_EachFilter_HasWeightAndPeaksAtOneOrBelow()
    {
        var filters = new MelFilterbank(80, 512, 16000, 0, 8000).ToDense(257);

        // Peak 1 at the band centre; the narrow low bands fall between FFT bins, so their
        // largest sampled weight is lower (features.py: 0.40 at the lowest for 80 bins).
        for (var m = 0; m < 80; m++)
        {
            var peak = Enumerable.Range(0, 257).Max(k => filters[m, k]);
            Assert.InRange(peak, 0.4, 1.0);
        }
    }
}
