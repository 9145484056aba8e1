using AvatarLab.Inference.Audio;

namespace AvatarLab.Inference.Tests.Audio;

public class StreamingResamplerTests
{
    [Theory]
    [InlineData(44100, 16000, 1)]
    [InlineData(48000, 16000, 2)]
    [InlineData(22050, 16000, 3)]
    [InlineData(8000, 16000, 4)]
    [InlineData(16000, 16000, 5)]
    [InlineData(44101, 16000, 6)]
    public void Push_RandomChunkSizes_MatchesWholeSignalBitForBit(int from, int to, int seed)
    {
        var input = Signals.Noise(from / 3, seed);
        var expected = Resampler.Resample(input, from, to);
        var resampler = new StreamingResampler(from, to);

        var actual = new List<float>();
        foreach (var (start, length) in Signals.RandomChunks(input.Length, maxChunk: 5000, seed))
        {
            var chunk = input.AsSpan(start, length);
            var predicted = resampler.OutputLengthFor(length);
            var written = resampler.Push(chunk);
            Assert.Equal(predicted, written.Length);
            actual.AddRange(written);
        }

        actual.AddRange(resampler.Flush());

        Assert.Equal(expected, actual);
    }

    [Fact]
    public void Push_SampleBySample_MatchesWholeSignal()
    {
        var input = Signals.Noise(3000, seed: 7);
        var expected = Resampler.Resample(input, 48000, 16000);
        var resampler = new StreamingResampler(48000, 16000);

        var actual = new List<float>();
        foreach (var sample in input)
        {
            actual.AddRange(resampler.Push([sample]));
        }

        actual.AddRange(resampler.Flush());

        Assert.Equal(expected, actual);
    }

    [Fact]
    public void Reset_AfterFlush_StartsANewIdenticalStream()
    {
        var input = Signals.Noise(5000, seed: 8);
        var resampler = new StreamingResampler(44100, 16000);
        var first = resampler.Push(input).Concat(resampler.Flush()).ToArray();

        resampler.Reset();
        var second = resampler.Push(input).Concat(resampler.Flush()).ToArray();

        Assert.Equal(first, second);
    }

    [Fact]
    public void Push_AfterFlush_Throws()
    {
        var resampler = new StreamingResampler(44100, 16000);
        resampler.Flush();

        Assert.Throws<InvalidOperationException>(() => resampler.Push(new float[10]));
    }

    [Fact]
    public void Push_OutputSpanTooSmall_ThrowsBeforeConsumingInput()
    {
        var resampler = new StreamingResampler(8000, 16000);
        var needed = resampler.OutputLengthFor(1000);

        Assert.Throws<ArgumentException>(() => resampler.Push(new float[1000], new float[needed - 1]));
        Assert.Equal(needed, resampler.OutputLengthFor(1000));
    }

    [Fact]
    public void Push_SteadyState_DoesNotAllocate()
    {
        var resampler = new StreamingResampler(48000, 16000);
        var chunk = Signals.Noise(960, seed: 9);
        var output = new float[1000];
        resampler.Push(chunk, output);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            resampler.Push(chunk, output);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
