using AvatarLab.Inference.Motion;
using AvatarLab.Inference.Rendering;

namespace AvatarLab.Inference.Tests.Rendering;

public sealed class ParametricFaceRendererTests : IDisposable
{
    private const int Size = 256;
    private readonly ParametricFaceRenderer _renderer = new(Size);

    public void Dispose() => _renderer.Dispose();

    [Fact]
    public void Render_Neutral_IsLeftRightSymmetric()
    {
        var frame = Render();

        // Rows from the brows to below the chin: the side-parted fringe above them is the one
        // deliberate asymmetry (with the light on the hair it gives 0.4 of 255 per channel); a
        // glance of gaze_x = 0.3 gives 1.0, a turn of yaw = 0.05 rad 5.
        Assert.InRange(frame.MirrorDifference(0.3, 0.8), 0, 0.7);
        var (left, right) = frame.SplitCentroids(FrameProbe.IsIris);
        Assert.Equal(Size - 1 - left.X, right.X, 1.0);
        Assert.Equal(left.Y, right.Y, 1.0);
    }

    [Fact]
    public void Render_SmallGlance_BreaksSymmetry()
    {
        var frame = Render((FaceParams.GazeX, 0.3f));

        Assert.True(frame.MirrorDifference(0.3, 0.8) > 0.7);
    }

    [Fact]
    public void Render_JawOpen_DarkensTheMouth()
    {
        var closed = Render((FaceParams.JawOpen, 0f)).Count(FrameProbe.IsDark, 0.38, 0.52, 0.62, 0.75);
        var open = Render((FaceParams.JawOpen, 1f)).Count(FrameProbe.IsDark, 0.38, 0.52, 0.62, 0.75);

        Assert.True(closed < 10, $"closed mouth has {closed} dark pixels");
        // The open mouth's dark interior (less teeth and tongue) is about 260 px at 256 px.
        Assert.True(open > 150, $"open mouth has {open} dark pixels");
    }

    [Fact]
    public void Render_BlinkLeft_HidesTheIrisOnTheViewersRight()
    {
        var neutral = Render();
        var frame = Render((FaceParams.BlinkLeft, 1f));

        // The avatar's left eye is on the viewer's right (x > half), as in a photograph.
        Assert.True(neutral.Count(FrameProbe.IsIris, 0.5, 0, 1, 1) > 40);
        Assert.Equal(0, frame.Count(FrameProbe.IsIris, 0.5, 0, 1, 1));
        Assert.Equal(neutral.Count(FrameProbe.IsIris, 0, 0, 0.5, 1), frame.Count(FrameProbe.IsIris, 0, 0, 0.5, 1));
    }

    [Fact]
    public void Render_BlinkRight_HidesTheIrisOnTheViewersLeft()
    {
        var frame = Render((FaceParams.BlinkRight, 1f));

        Assert.Equal(0, frame.Count(FrameProbe.IsIris, 0, 0, 0.5, 1));
        Assert.True(frame.Count(FrameProbe.IsIris, 0.5, 0, 1, 1) > 40);
    }

    [Theory]
    [InlineData(0.4f, 1)]
    [InlineData(-0.4f, -1)]
    public void Render_Yaw_MovesTheFeaturesTowardTheSign(float yaw, int side)
    {
        var neutral = Render().Centroid(FrameProbe.IsIris);
        var turned = Render((FaceParams.HeadYaw, yaw)).Centroid(FrameProbe.IsIris);

        // Positive yaw turns the face toward the viewer's right; 0.4 rad moves the eyes ~20 px.
        Assert.True(side * (turned.X - neutral.X) > 10, $"iris centroid x {neutral.X:F1} -> {turned.X:F1}");
    }

    [Fact]
    public void Render_PitchUp_RaisesTheFeatures()
    {
        var neutral = Render().Centroid(FrameProbe.IsIris);
        var up = Render((FaceParams.HeadPitch, 0.4f)).Centroid(FrameProbe.IsIris);
        var nod = Render((FaceParams.HeadPitch, -0.4f)).Centroid(FrameProbe.IsIris);

        Assert.True(up.Y < neutral.Y - 5, $"chin up: eyes {neutral.Y:F1} -> {up.Y:F1}");
        Assert.True(nod.Y > neutral.Y + 5, $"nod: eyes {neutral.Y:F1} -> {nod.Y:F1}");
    }

    [Fact]
    public void Render_PositiveRoll_TiltsTheEyesCounterClockwise()
    {
        var (left, right) = Render((FaceParams.HeadRoll, 0.3f)).SplitCentroids(FrameProbe.IsIris);

        // On screen y points down, so a counter-clockwise tilt lifts the eye on the right.
        var angle = Math.Atan2(left.Y - right.Y, right.X - left.X);
        Assert.Equal(0.3, angle, 0.06);
    }

    [Fact]
    public void Render_Gaze_MovesThePupils()
    {
        var neutral = Render().Centroid(FrameProbe.IsPupil);
        var right = Render((FaceParams.GazeX, 1f)).Centroid(FrameProbe.IsPupil);
        var up = Render((FaceParams.GazeY, 1f)).Centroid(FrameProbe.IsPupil);

        Assert.True(right.X > neutral.X + 3, $"gaze_x: pupils {neutral.X:F1} -> {right.X:F1}");
        Assert.True(up.Y < neutral.Y - 2, $"gaze_y: pupils {neutral.Y:F1} -> {up.Y:F1}");
    }

    [Fact]
    public void Render_Smile_LiftsTheMouthCorners()
    {
        // The lips' outline: its lowest dark-red pixels sit in the middle for a smile and at the
        // corners for a frown, so the rows of the lip line's extremes move in opposite ways.
        static bool IsLipLine(byte r, byte g, byte b) => r > 120 && r < 180 && g < 90 && b < 100;
        var smile = Render((FaceParams.MouthSmile, 1f));
        var frown = Render((FaceParams.MouthSmile, -1f));

        // The mouth spans x = 0.43 .. 0.57 of the frame.
        var smileCorners = smile.Centroid(IsLipLine, 0.4, 0.5, 0.455, 0.75).Y;
        var smileMiddle = smile.Centroid(IsLipLine, 0.48, 0.5, 0.52, 0.75).Y;
        var frownCorners = frown.Centroid(IsLipLine, 0.4, 0.5, 0.455, 0.75).Y;
        var frownMiddle = frown.Centroid(IsLipLine, 0.48, 0.5, 0.52, 0.75).Y;
        Assert.True(smileCorners < smileMiddle, $"smile: corners {smileCorners:F1}, middle {smileMiddle:F1}");
        Assert.True(frownCorners > frownMiddle, $"frown: corners {frownCorners:F1}, middle {frownMiddle:F1}");
    }

    [Fact]
    public void Render_Pucker_NarrowsTheMouth()
    {
        // Lip red (the cheeks' blush is lighter: g > 130), in the mouth's band.
        static bool IsLip(byte r, byte g, byte b) => r > 140 && g < 130 && b < 135;
        var neutral = Render().HorizontalExtent(IsLip, 0.35, 0.53, 0.65, 0.66);
        var pucker = Render((FaceParams.MouthPucker, 1f)).HorizontalExtent(IsLip, 0.35, 0.53, 0.65, 0.66);

        // The pucker takes 45 % off the mouth's width.
        Assert.True(pucker < neutral * 0.7, $"mouth width {neutral} -> {pucker} px");
    }

    [Fact]
    public void Render_BrowsRaised_MovesTheBrowsUp()
    {
        static bool IsBrow(byte r, byte g, byte b) => r < 110 && r > 40 && g < 70 && b < 60 && r > b + 15;
        // Brow band only (between the fringe and the eyes), both sides.
        var low = Render((FaceParams.BrowLeft, -1f), (FaceParams.BrowRight, -1f)).Centroid(IsBrow, 0.3, 0.28, 0.7, 0.4);
        var high = Render((FaceParams.BrowLeft, 1f), (FaceParams.BrowRight, 1f)).Centroid(IsBrow, 0.3, 0.28, 0.7, 0.4);

        Assert.True(high.Y < low.Y - 3, $"brow centroid y {low.Y:F1} -> {high.Y:F1}");
    }

    [Fact]
    public void Render_SameInputTwice_IsByteIdentical()
    {
        var pose = Pose((FaceParams.HeadYaw, 0.2f), (FaceParams.JawOpen, 0.6f), (FaceParams.MouthSmile, 0.5f), (FaceParams.GazeY, -0.3f));
        var first = new byte[Size * Size * 4];
        var second = new byte[Size * Size * 4];
        using var other = new ParametricFaceRenderer(Size);

        _renderer.Render(pose, first);
        _renderer.Render(Pose(), second);
        _renderer.Render(pose, second);
        var third = new byte[Size * Size * 4];
        other.Render(pose, third);

        Assert.Equal(first, second);
        Assert.Equal(first, third);
    }

    [Theory]
    [InlineData(256)]
    [InlineData(512)]
    [InlineData(300)]
    public void Render_Size_DrawsTheWholeFaceOpaque(int size)
    {
        using var renderer = new ParametricFaceRenderer(size);
        var rgba = new byte[size * size * 4];

        renderer.Render(Pose(), rgba);

        Assert.Equal(size, renderer.Width);
        Assert.Equal(size, renderer.Height);
        Assert.All(Enumerable.Range(0, size * size), i => Assert.Equal(255, rgba[(i * 4) + 3]));
        var probe = new FrameProbe(rgba, size, size);
        var scale = size / 256.0;
        // Each iris shows ~ 65 px of its blue at 256 px; the count grows with the area.
        Assert.InRange(probe.Count(FrameProbe.IsIris, 0, 0, 0.5, 1), 50 * scale * scale, 80 * scale * scale);
        Assert.InRange(probe.Count(FrameProbe.IsIris, 0.5, 0, 1, 1), 50 * scale * scale, 80 * scale * scale);
    }

    [Fact]
    public void Render_OutOfRangeValues_AreClamped()
    {
        var clamped = Render((FaceParams.HeadYaw, 0.6f), (FaceParams.JawOpen, 1f), (FaceParams.BrowLeft, -1f), (FaceParams.GazeY, 1f));
        var wild = Render((FaceParams.HeadYaw, 3f), (FaceParams.JawOpen, 7f), (FaceParams.BrowLeft, -40f), (FaceParams.GazeY, float.PositiveInfinity));
        var nan = Render((FaceParams.MouthSmile, float.NaN));

        Assert.Equal(clamped.Bytes, wild.Bytes);
        Assert.Equal(Render().Bytes, nan.Bytes);
    }

    [Fact]
    public void Render_ShortLatent_Throws()
    {
        var ex = Assert.Throws<ArgumentException>(() => _renderer.Render(new float[11], new byte[Size * Size * 4]));

        Assert.Contains("12", ex.Message);
    }

    [Fact]
    public void Render_WrongBufferLength_Throws()
    {
        Assert.Throws<ArgumentException>(() => _renderer.Render(new float[12], new byte[(Size * Size * 4) - 1]));
    }

    [Fact]
    public void RenderBatch_TwoPoses_MatchesSingleRenders()
    {
        IFrameRenderer renderer = _renderer;
        var a = Pose((FaceParams.JawOpen, 1f));
        var b = Pose((FaceParams.BlinkLeft, 1f));
        var batch = new byte[2 * Size * Size * 4];

        renderer.RenderBatch([.. a, .. b], 2, batch);

        Assert.Equal(Render((FaceParams.JawOpen, 1f)).Bytes, batch[..(Size * Size * 4)]);
        Assert.Equal(Render((FaceParams.BlinkLeft, 1f)).Bytes, batch[(Size * Size * 4)..]);
    }

    private static float[] Pose(params (int Channel, float Value)[] values)
    {
        var pose = new float[FaceParams.ChannelCount];
        foreach (var (channel, value) in values)
        {
            pose[channel] = value;
        }

        return pose;
    }

    private FrameProbe Render(params (int Channel, float Value)[] values)
    {
        var rgba = new byte[Size * Size * 4];
        _renderer.Render(Pose(values), rgba);
        return new FrameProbe(rgba, Size, Size);
    }
}
