using AvatarLab.Inference.Motion;

namespace AvatarLab.Inference.Tests.Motion;

public class MotionTrackTests
{
    [Fact]
    public void Zeros_TwelveChannels_IsAnAllZeroFaceParamsTrack()
    {
        var track = MotionTrack.Zeros(50, 12, 25);

        Assert.Equal(50, track.Frames);
        Assert.Equal(FaceParams.Names, track.ChannelNames);
        Assert.All(track.Values, v => Assert.Equal(0f, v));
        Assert.Equal(TimeSpan.FromSeconds(2), track.Duration);
    }

    [Fact]
    public void Zeros_OtherChannelCount_NamesChannelsByIndex()
    {
        var track = MotionTrack.Zeros(3, 2, 30);

        Assert.Equal(["c0", "c1"], track.ChannelNames);
        Assert.Equal(6, track.Values.Length);
    }

    [Fact]
    public void Constructor_ValuesNotWholeFrames_Throws()
    {
        Assert.Throws<ArgumentException>(() => new MotionTrack(new float[5], ["a", "b"], 25));
    }

    [Fact]
    public void Constructor_ZeroFps_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new MotionTrack(new float[2], ["a"], 0));
    }

    [Fact]
    public void Resample_RampFrom30To25Fps_InterpolatesLinearly()
    {
        // Channel 0 = time in seconds, channel 1 = its negative: any linear interpolation of a
        // linear function is exact.
        var values = Enumerable.Range(0, 300).SelectMany(f => new[] { f / 30f, -f / 30f }).ToArray();
        var track = new MotionTrack(values, ["t", "minus_t"], 30);

        var resampled = track.Resample(25);

        Assert.Equal(250, resampled.Frames);
        Assert.Equal(25, resampled.Fps);
        for (var j = 0; j < resampled.Frames; j++)
        {
            Assert.Equal(j / 25.0, resampled[j, 0], 5);
            Assert.Equal(-j / 25.0, resampled[j, 1], 5);
        }
    }

    [Fact]
    public void Resample_Upsampling_HoldsTheLastFramePastTheEnd()
    {
        var track = new MotionTrack([0f, 1f], ["x"], 2);

        var resampled = track.Resample(4);

        Assert.Equal([0f, 0.5f, 1f, 1f], resampled.Values);
    }

    [Fact]
    public void Resample_SameFps_ReturnsTheTrack()
    {
        var track = MotionTrack.Zeros(4, 12, 25);

        Assert.Same(track, track.Resample(25));
    }

    [Fact]
    public void Frame_ReturnsThatRow()
    {
        var track = new MotionTrack([1f, 2f, 3f, 4f], ["a", "b"], 25);

        Assert.Equal([3f, 4f], track.Frame(1).ToArray());
        Assert.Equal(4f, track[1, 1]);
    }
}
