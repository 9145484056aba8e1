using AvatarLab.Inference.Sampling;

namespace AvatarLab.Inference.Tests.Sampling;

public class FlowMatchingTests
{
    [Fact]
    public void Timesteps_Nfe10_AreTheOfficialList()
    {
        Assert.Equal([1000, 875, 750, 625, 500, 375, 250, 125, 0], FlowMatching.Timesteps(10, 1000));
    }

    [Fact]
    public void Timesteps_ShiftHalf_CrowdAtLowNoise()
    {
        // s' = 0.5 s / (1 - 0.5 s): s = 0.875 -> 0.4375 / 0.5625 = 0.7778; s = 0.125 -> 0.0625 / 0.9375 = 0.0667.
        var steps = FlowMatching.Timesteps(10, 1000, 0.5);
        Assert.Equal(1000, steps[0], 9);
        Assert.Equal(7000.0 / 9, steps[1], 9);
        Assert.Equal(1000.0 / 15, steps[7], 9);
        Assert.Equal(0, steps[8]);
    }

    [Fact]
    public void Shifted_IsTheIdentityAtOne_AndKeepsTheEnds()
    {
        Assert.Equal(437.5, FlowMatching.Shifted(437.5, 1.0, 1000));
        Assert.Equal(1000, FlowMatching.Shifted(1000, 3.0, 1000), 9);
        Assert.Equal(0, FlowMatching.Shifted(0, 3.0, 1000));
        Assert.Equal(750, FlowMatching.Shifted(500, 3.0, 1000), 9); // 1.5 / 2
    }

    [Fact]
    public void StepClamped_X0AboveRange_StepsFromTheClampedX0()
    {
        // s = 0.5, s_next = 0.25, x0 = 1 - 0.5 * (-2) = 2 -> clamped to 1; r = 0.5:
        // x_next = 0.5 * 1 + (0.75 - 0.25) * 1 = 1 (unclamped: 0.5 + 0.5 * 2 = 1.5).
        Assert.Equal(1.5, FlowMatching.Step(1.0, -2.0, 500, 250, 1000), 12);
        Assert.Equal(1.0, FlowMatching.StepClamped(1.0, -2.0, 500, 250, 1000, 0, 1, out var clamped), 12);
        Assert.True(clamped);
    }

    [Fact]
    public void StepClamped_LastStep_OutputIsTheClampedX0_AndInRangeValuesAreUntouched()
    {
        // To t = 0 the step returns x0 itself: -0.3 clamps to the bound 0.
        Assert.Equal(0.0, FlowMatching.StepClamped(-0.1, 2.0, 100, 0, 1000, 0, 1, out var clamped), 12);
        Assert.True(clamped);
        Assert.Equal(FlowMatching.Step(0.4, 0.5, 500, 250, 1000), FlowMatching.StepClamped(0.4, 0.5, 500, 250, 1000, 0, 1, out clamped), 15);
        Assert.False(clamped);
        Assert.Equal(0.7, FlowMatching.StepClamped(0.7, 3.0, 0, 0, 1000, 0, 0.5, out clamped));
        Assert.False(clamped);
    }

    [Fact]
    public void Step_HalfToQuarter_MatchesHandComputedValue()
    {
        // s = 0.5, s_next = 0.25, x0 = 1 - 0.5 * 2 = 0, r = 0.5: x_next = 0.5 * 1 + (0.75 - 0.25) * 0 = 0.5
        Assert.Equal(0.5, FlowMatching.Step(1.0, 2.0, 500, 250, 1000), 12);
    }

    [Fact]
    public void Step_ToZero_ReturnsThePredictedCleanValue()
    {
        Assert.Equal(0.3 - 0.125 * 0.8, FlowMatching.Step(0.3, 0.8, 125, 0, 1000), 12);
    }

    [Fact]
    public void Step_CleanFrame_IsLeftUnchanged()
    {
        Assert.Equal(0.3, FlowMatching.Step(0.3, 5.0, 0, 0, 1000));
    }

    [Fact]
    public void Guide_ThreeWay_CombinesBranches()
    {
        Assert.Equal(1.0 + 2.0 * 2.0 + 1.0 * 1.0, FlowMatching.Guide(1.0, 3.0, 2.0, 2.0, 1.0), 12);
    }

    [Fact]
    public void StaggeredTimestep_ZeroSpread_IsBlockwise()
    {
        for (var step = 0; step < 9; step++)
        {
            Assert.Equal(1000 - 125 * step, FlowMatching.StaggeredTimestep(step, 9, 7, 10, 0.0, 1000), 9);
        }
    }
}
