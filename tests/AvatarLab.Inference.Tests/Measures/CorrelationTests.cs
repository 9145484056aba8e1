using AvatarLab.Inference.Measures;

namespace AvatarLab.Inference.Tests.Measures;

public class CorrelationTests
{
    [Fact]
    public void Pcc_ConstantSide_IsZeroNotNaN()
    {
        double[] ramp = [0, 1, 2, 3, 4];

        Assert.Equal(0.0, Correlation.Pcc([0.1, 0.1, 0.1, 0.1, 0.1], ramp));
        Assert.Equal(0.0, Correlation.Pcc(ramp, [0.1, 0.1, 0.1, 0.1, 0.1]));
    }

    [Fact]
    public void Pcc_AffineAndInverted_IsPlusMinusOne()
    {
        double[] x = [0.3, -1.2, 2.5, 0.7, 1.1, -0.4];

        Assert.Equal(1.0, Correlation.Pcc(x, [.. x.Select(v => 3 * v + 2)]), 12);
        Assert.Equal(-1.0, Correlation.Pcc(x, [.. x.Select(v => -v)]), 12);
    }

    [Fact]
    public void Pcc_NonFinitePairs_AreDropped()
    {
        double[] x = [1, 2, double.NaN, 4, 5, 6];
        double[] y = [2, 4, 100, 8, double.PositiveInfinity, 12];

        // Left: (1, 2), (2, 4), (4, 8), (6, 12): perfectly correlated; the dropped pairs would spoil it.
        Assert.Equal(1.0, Correlation.Pcc(x, y), 12);
    }

    [Fact]
    public void Pcc_FewerThanTwoFinitePairs_IsZero()
    {
        Assert.Equal(0.0, Correlation.Pcc([1.0, double.NaN], [2.0, 3.0]));
        Assert.Equal(0.0, Correlation.Pcc([], []));
    }

    [Fact]
    public void Lagged_DelayedCopy_PeaksAtTheDelay()
    {
        var random = new Random(4);
        var x = Enumerable.Range(0, 100).Select(_ => random.NextDouble()).ToArray();
        var y = new double[100];
        Array.Copy(x, 0, y, 7, 93);

        var curve = Correlation.Lagged(x, y, 10, 25);

        Assert.Equal(7, Correlation.BestLag(curve));
        Assert.Equal(1.0, curve[7], 12);
    }

    [Fact]
    public void Lagged_OverlapBelowMinimum_IsNaN()
    {
        var x = Enumerable.Range(0, 30).Select(i => Math.Sin(i)).ToArray();

        var curve = Correlation.Lagged(x, x, 8, 25);

        Assert.All(curve[..6], v => Assert.False(double.IsNaN(v)));
        Assert.All(curve[6..], v => Assert.True(double.IsNaN(v)));
    }

    [Fact]
    public void BestLag_TiesAndNaN_FirstMaximumWinsAndAllNaNIsNull()
    {
        Assert.Equal(1, Correlation.BestLag([double.NaN, 0.5, 0.2, 0.5]));
        Assert.Null(Correlation.BestLag([double.NaN, double.NaN]));
    }
}
