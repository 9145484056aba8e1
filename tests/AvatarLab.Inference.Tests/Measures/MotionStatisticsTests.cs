using AvatarLab.Inference.Measures;
using AvatarLab.Inference.Motion;

namespace AvatarLab.Inference.Tests.Measures;

public class MotionStatisticsTests
{
    [Fact]
    public void OutOfRangeFraction_ValuesAtTheWidenedBounds_AsMetricsPyInFloat64()
    {
        // Yaw's bound is 0.6 + 0.05 = 0.65 in double. 0.65f rounds down (0.6499999762) and is in;
        // -0.05f rounds away from zero (-0.0500000007) and is out of blink's 0 - 0.05.
        var track = new float[4 * FaceParams.ChannelCount];
        track[0 * 12 + FaceParams.HeadYaw] = 0.65f;
        track[1 * 12 + FaceParams.HeadYaw] = 0.6501f;
        track[2 * 12 + FaceParams.BlinkLeft] = -0.05f;
        track[3 * 12 + FaceParams.BlinkLeft] = -0.049f;

        var fraction = MotionStatistics.OutOfRangeFraction(FrameMatrix.FromFloats(track, 12));

        Assert.Equal(2.0 / track.Length, fraction.Value);
    }

    [Fact]
    public void OutOfRangeFraction_NonFiniteValues_AreLeftOutOfTheFraction()
    {
        var track = new float[2 * FaceParams.ChannelCount];
        track[0] = float.NaN;
        track[1] = float.PositiveInfinity;
        track[2] = 5f;

        var matrix = FrameMatrix.FromFloats(track, 12);

        Assert.Equal(1.0 / 22, MotionStatistics.OutOfRangeFraction(matrix).Value);
        Assert.Equal(2, MotionStatistics.NonFiniteCount(matrix));
        Assert.Equal("the avatar track has no finite value",
            MotionStatistics.OutOfRangeFraction(FrameMatrix.FromFloats(Enumerable.Repeat(float.NaN, 12).ToArray(), 12)).Reason);
    }

    [Fact]
    public void Variance_SkipsNonFiniteValues_AndNamesAnEmptyChannel()
    {
        var track = new float[4 * FaceParams.ChannelCount];
        float[] yaw = [1, 3, float.NaN, 5];
        for (var f = 0; f < 4; f++)
        {
            track[f * 12 + FaceParams.HeadYaw] = yaw[f];
            track[f * 12 + FaceParams.JawOpen] = float.NaN;
        }

        var matrix = FrameMatrix.FromFloats(track, 12);

        // Yaw: variance of 1, 3, 5 = 8/3; pitch and roll 0.
        Assert.Equal(8.0 / 3 / 3, MotionStatistics.Variance(matrix, ChannelGroup.Pose, FaceParams.Names).Value!.Value, 15);
        Assert.Equal("jaw_open has no finite value", MotionStatistics.Variance(matrix, ChannelGroup.Expression, FaceParams.Names).Reason);
    }
}
