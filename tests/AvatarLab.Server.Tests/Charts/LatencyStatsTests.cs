using AvatarLab.Inference.Telemetry;
using AvatarLab.Server.Timeline;

namespace AvatarLab.Server.Tests.Charts;

public class LatencyStatsTests
{
    private static TimelineBlock Block(int index, long first, int frames, double denoiseMs, int lateFrames = 0) =>
        new(index, first, frames, Math.Max(0, first - 2), frames + 2, 1, lateFrames,
            new StageRecord(0, 0, 0, [denoiseMs], 0, 0, 0, 0), [], 0, 0, 0, 0);

    [Fact]
    public void Of_ReplaysTheRunLive_AndFlagsTheBlockReadyAfterItsFirstFrameIsDue()
    {
        // Arrange: a 50-frame first clip, then 10-frame blocks at 25 fps (400 ms of media each), lookahead 2.
        // Block 0 is ready at 52/25 + 0.1 = 2.18 s; playout of frame f is due at 2.18 + f / 25.
        // Block 3 (frames 70..79, due at 2.18 + 2.8 = 4.98 s) takes 2 s after its inputs are in at
        // 82/25 = 3.28 s: ready at 5.28 s, late. Block 4 queues behind it (ready 5.33 s) but is due
        // at 2.18 + 3.2 = 5.38 s: in time.
        var blocks = new[]
        {
            Block(0, 0, 50, 100), Block(1, 50, 10, 50), Block(2, 60, 10, 50), Block(3, 70, 10, 2000), Block(4, 80, 10, 50),
            Block(5, 90, 10, 50),
        };

        // Act
        var stats = LatencyStats.Of(blocks, fps: 25, lookaheadFrames: 2);

        // Assert
        Assert.Equal(2.18, stats.ReadySeconds[0], 9);
        Assert.Equal(5.28, stats.ReadySeconds[3], 9);
        Assert.Equal(2.18 + 2.8, stats.DeadlineSeconds[3], 9);
        Assert.Equal(5.33, stats.ReadySeconds[4], 9);
        Assert.Equal([false, false, false, true, false, false], stats.Late);
        Assert.Equal(1, stats.LateBlocks);
        Assert.Equal(2000, stats.MaxMs);
        Assert.Equal(100.0 / 25 / 2.3, stats.RealTimeFactor, 9);
    }

    [Fact]
    public void Of_MarksABlockLate_WhenALiveSessionCountedLateFrames()
    {
        var stats = LatencyStats.Of([Block(0, 0, 50, 10), Block(1, 50, 10, 10, lateFrames: 3)], 25, 2);
        Assert.Equal([false, true], stats.Late);
    }

    [Theory]
    [InlineData(0.5, 2.5)]
    [InlineData(0.95, 3.85)]
    [InlineData(1.0, 4.0)]
    [InlineData(0.0, 1.0)]
    public void Percentile_InterpolatesBetweenClosestRanks_AsNumpyDoes(double q, double expected)
    {
        Assert.Equal(expected, LatencyStats.Percentile([1, 2, 3, 4], q), 9);
    }
}
