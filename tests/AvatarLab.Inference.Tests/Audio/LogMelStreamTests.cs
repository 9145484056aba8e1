using AvatarLab.Inference.Audio;

namespace AvatarLab.Inference.Tests.Audio;

public class LogMelStreamTests
{
    [Theory]
    [InlineData(80, 1)]
    [InlineData(80, 2)]
    [InlineData(40, 3)]
    public void Push_RandomChunkSizes_MatchesWholeSignalBitForBit(int melBins, int seed)
    {
        var logMel = new LogMel(melBins);
        var audio = Signals.Noise(16000 * 3 + 123, seed);
        var expected = logMel.Compute(audio);
        var stream = logMel.CreateStream();

        var actual = new List<float>();
        foreach (var (start, length) in Signals.RandomChunks(audio.Length, maxChunk: 2000, seed))
        {
            var predicted = stream.FramesReadyAfter(length);
            var frames = stream.Push(audio.AsSpan(start, length));
            Assert.Equal(predicted * logMel.FeatureDim, frames.Length);
            actual.AddRange(frames);
        }

        Assert.Equal(expected, actual);
    }

    [Fact]
    public void Push_FrameF_IsReadyExactlyAtSample640TimesFPlusOne()
    {
        var stream = new LogMel().CreateStream();
        var audio = Signals.Noise(1280, seed: 5);

        Assert.Equal(0, stream.Push(audio.AsSpan(0, 639), new float[0]));
        Assert.Equal(1, stream.FramesReadyAfter(1));
        Assert.Equal(1, stream.Push(audio.AsSpan(639, 1), new float[320]));
        Assert.Equal(0, stream.FramesReadyAfter(639));
        Assert.Equal(1, stream.FramesReadyAfter(640));
    }

    [Fact]
    public void Reset_StartsAgainAtTimeZero()
    {
        var stream = new LogMel().CreateStream();
        var audio = Signals.Noise(2000, seed: 6);
        var first = stream.Push(audio);

        stream.Reset();
        var second = stream.Push(audio);

        Assert.Equal(first, second);
        Assert.Equal(2000, stream.SamplesReceived);
        Assert.Equal(3, stream.FramesEmitted);
    }

    [Fact]
    public void Push_FeatureSpanTooSmall_Throws()
    {
        var stream = new LogMel().CreateStream();

        Assert.Throws<ArgumentException>(() => stream.Push(new float[640], new float[319]));
    }

    [Fact]
    public void Push_SteadyState_DoesNotAllocate()
    {
        var stream = new LogMel().CreateStream();
        var chunk = Signals.Noise(512, seed: 7);
        var features = new float[2 * 320];
        stream.Push(chunk, features);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            stream.Push(chunk, features);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
