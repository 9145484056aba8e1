using AvatarLab.Inference.Sampling;

namespace AvatarLab.Inference.Tests.Sampling;

public class SeededNoiseTests
{
    [Fact]
    public void Fill_SameFramesInOtherChunks_GivesTheSameValues()
    {
        var noise = new SeededNoise(7);
        var whole = new double[20 * 12];
        noise.Fill(100, 20, 12, whole);
        var part = new double[5 * 12];
        noise.Fill(110, 5, 12, part);
        Assert.Equal(whole.AsSpan(10 * 12, 5 * 12).ToArray(), part);
    }

    [Fact]
    public void Fill_OtherSeed_GivesOtherValues()
    {
        var a = new double[12];
        var b = new double[12];
        new SeededNoise(1).Fill(0, 1, 12, a);
        new SeededNoise(2).Fill(0, 1, 12, b);
        Assert.NotEqual(a, b);
    }

    [Fact]
    public void Fill_ManyValues_AreStandardNormal()
    {
        var values = new double[20000 * 12];
        new SeededNoise(3).Fill(0, 20000, 12, values);
        var mean = values.Average();
        var std = Math.Sqrt(values.Select(v => (v - mean) * (v - mean)).Average());
        Assert.InRange(mean, -0.02, 0.02);
        Assert.InRange(std, 0.98, 1.02);
    }
}
