using AvatarLab.Inference.Measures;
using Xunit.Abstractions;

namespace AvatarLab.Inference.Tests.Measures;

public class NodFilterTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(12)]
    [InlineData(25)]
    [InlineData(30)]
    [InlineData(50)]
    public void Order2_MatchesScipyButterCoefficients(int fps)
    {
        var expected = Case(fps).GetProperty("sos").EnumerateArray().SelectMany(MeasuresGolden.Numbers).ToArray();

        var sections = ButterworthBandPass.Order2(1, 4, fps).Sections.SelectMany(s => s).ToArray();

        output.WriteLine($"{fps} fps: max abs diff {MeasuresGolden.AssertClose(expected, sections, 1e-12):E2}");
    }

    [Fact]
    public void Order2_At25Fps_IsMetricsPyNodSos()
    {
        var expected = MeasuresGolden.Json.GetProperty("filters").GetProperty("sos25").EnumerateArray().SelectMany(MeasuresGolden.Numbers).ToArray();

        MeasuresGolden.AssertClose(expected, ButterworthBandPass.Order2(1, 4, 25).Sections.SelectMany(s => s).ToArray(), 1e-12);
    }

    [Theory]
    [InlineData(12)]
    [InlineData(25)]
    [InlineData(30)]
    [InlineData(50)]
    public void FiltFilt_MatchesScipySosfiltfiltOddPad15(int fps)
    {
        var c = Case(fps);

        var y = ButterworthBandPass.Order2(1, 4, fps).FiltFilt(MeasuresGolden.Numbers(c.GetProperty("x")), 15);

        output.WriteLine($"{fps} fps: max abs diff {MeasuresGolden.AssertClose(MeasuresGolden.Numbers(c.GetProperty("y")), y, 1e-12):E2}");
    }

    [Fact]
    public void FiltFilt_ConstantInput_GivesZeroWithoutEdgeTransient()
    {
        // Band-pass: no DC gain; the steady-state start (sosfilt_zi) leaves no transient at the ends.
        var y = ButterworthBandPass.Order2(1, 4, 25).FiltFilt(Enumerable.Repeat(0.3, 40).ToArray(), 15);

        Assert.All(y, v => Assert.True(Math.Abs(v) < 1e-12, $"{v}"));
    }

    [Fact]
    public void FiltFilt_2HzSine_PassesWithoutPhaseShift()
    {
        var x = Enumerable.Range(0, 250).Select(t => Math.Sin(2 * Math.PI * 2 * t / 25)).ToArray();

        var y = ButterworthBandPass.Order2(1, 4, 25).FiltFilt(x, 15);

        // Mid-track, away from the edges: same phase, gain |H(2 Hz)|^2 close to 1.
        Assert.True(Correlation.Pcc(x.AsSpan(50, 150), y.AsSpan(50, 150)) > 0.999);
    }

    [Fact]
    public void FiltFilt_NotLongerThanPadding_Throws()
    {
        Assert.Throws<ArgumentException>(() => ButterworthBandPass.Order2(1, 4, 25).FiltFilt(new double[15], 15));
    }

    [Fact]
    public void Order2_BandAboveHalfTheFrameRate_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ButterworthBandPass.Order2(1, 4, 8));
    }

    private static System.Text.Json.JsonElement Case(int fps) =>
        MeasuresGolden.Json.GetProperty("filters").GetProperty("cases").EnumerateArray().Single(c => c.GetProperty("fps").GetInt32() == fps);
}
