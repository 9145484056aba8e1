using AvatarLab.Inference.Audio;
using AvatarLab.Inference.IO;
using AvatarLab.Inference.Tests.Support;
using Xunit.Abstractions;

namespace AvatarLab.Inference.Tests.Audio;

public class ResamplerTests(ITestOutputHelper output)
{
    [Fact]
    public void Resample_10kHzToneFrom48kTo16k_IsRemovedByMoreThan60dB()
    {
        // 10 kHz is above the 8 kHz Nyquist frequency of the output: without anti-aliasing it
        // would fold to 6 kHz at full amplitude.
        var tone = Signals.Tone(10000, 48000, 48000);

        var output16k = Resampler.Resample(tone, 48000, 16000);

        var db = Signals.Decibels(Signals.MiddleRms(output16k) / Signals.MiddleRms(tone));
        output.WriteLine($"10 kHz at 48 kHz -> 16 kHz: {db:F1} dB");
        Assert.True(db < -60, $"alias only {db:F1} dB down");
    }

    [Theory]
    [InlineData(48000, 16000)]
    [InlineData(44100, 16000)]
    [InlineData(22050, 16000)]
    [InlineData(8000, 16000)]
    [InlineData(16000, 48000)]
    public void Resample_1kHzTone_KeepsAmplitudeWithinATenthOfADecibel(int from, int to)
    {
        var tone = Signals.Tone(1000, from, from / 2);

        var resampled = Resampler.Resample(tone, from, to);

        var db = Signals.Decibels(Signals.AmplitudeAt(resampled, 1000, to) / 0.5);
        Assert.InRange(db, -0.1, 0.1);
    }

    [Fact]
    public void Resample_3kHzToneFrom8kTo16k_HasNoImageAt5kHz()
    {
        var tone = Signals.Tone(3000, 8000, 8000);

        var resampled = Resampler.Resample(tone, 8000, 16000);

        var image = Signals.Decibels(Signals.AmplitudeAt(resampled, 5000, 16000) / 0.5);
        Assert.True(image < -60, $"image only {image:F1} dB down");
    }

    [Theory]
    [InlineData(44100, 16000, 44100, 16000)]
    [InlineData(48000, 16000, 4800, 1600)]
    [InlineData(22050, 16000, 22050, 16000)]
    [InlineData(8000, 16000, 8000, 16000)]
    [InlineData(44100, 16000, 10, 4)]
    public void Resample_Length_IsTheExactRationalRatioRoundedUp(int from, int to, int inputLength, int expected)
    {
        Assert.Equal(expected, Resampler.Resample(new float[inputLength], from, to).Length);
    }

    [Theory]
    [InlineData(44100, 16000)]
    [InlineData(8000, 16000)]
    [InlineData(48000, 16000)]
    public void Resample_ChirpPlusNoise_MatchesDirectPythonDefinition(int from, int to)
    {
        var input = (float[])NpyReader.Read(RepoPaths.Fixture($"golden/features/resample_{from}_{to}_in.npy")).Data;
        var expected = (float[])NpyReader.Read(RepoPaths.Fixture($"golden/features/resample_{from}_{to}_out.npy")).Data;

        var actual = Resampler.Resample(input, from, to);

        Assert.Equal(expected.Length, actual.Length);
        var maxDiff = expected.Zip(actual, (e, a) => Math.Abs(e - a)).Max();
        output.WriteLine($"{from} -> {to}: max abs diff {maxDiff:E2} over {actual.Length} samples");
        Assert.True(maxDiff <= 1e-6, $"max abs diff {maxDiff}");
    }

    [Fact]
    public void Resample_OddRatePairWithoutTable_KeepsToneAmplitude()
    {
        // 44101 -> 16000 reduces to 16000 / 44101: too many phases to tabulate, so the taps are
        // computed per output sample; the result must still be a clean 1 kHz tone.
        var tone = Signals.Tone(1000, 44101, 8000);

        var resampled = Resampler.Resample(tone, 44101, 16000);

        Assert.Equal(2903, resampled.Length);
        Assert.InRange(Signals.Decibels(Signals.AmplitudeAt(resampled, 1000, 16000) / 0.5), -0.1, 0.1);
    }

    [Fact]
    public void Resample_SameRate_ReturnsACopy()
    {
        float[] input = [0.1f, -0.2f, 0.3f];

        var output16k = Resampler.Resample(input, 16000, 16000);

        Assert.Equal(input, output16k);
        Assert.NotSame(input, output16k);
    }

    [Fact]
    public void Resample_EmptyInput_ReturnsEmpty()
    {
        Assert.Empty(Resampler.Resample([], 44100, 16000));
    }
}
