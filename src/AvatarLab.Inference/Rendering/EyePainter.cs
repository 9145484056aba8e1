using SkiaSharp;

namespace AvatarLab.Inference.Rendering;

/// <summary>
/// Eyes and brows. Each is drawn flat in its own feature frame (units of the head, u to the
/// viewer's right, v down), which the head projection foreshortens as the face turns.
/// </summary>
internal sealed class EyePainter : IDisposable
{
    private const float EyeX = 76f;
    private const float EyeScale = 1.12f;
    private const float EyeY = 4f;
    private const float BrowY = 78f;

    private readonly FacePalette _palette;
    private readonly SKPath _opening = new();
    private readonly SKPath _upperLid = new();
    private readonly SKPath _lowerLid = new();
    private readonly SKPath _brow = new();

    public EyePainter(FacePalette palette) => _palette = palette;

    /// <summary>
    /// Draws both eyes and brows. The avatar's left eye (blink_left, brow_left) is on the
    /// viewer's right, as in a photograph of the avatar.
    /// </summary>
    public void Draw(SKCanvas canvas, in HeadProjection head, in FacePose pose)
    {
        var squint = 7f * MathF.Max(pose.Smile, 0f);
        DrawEye(canvas, head, pose, side: 1f, pose.BlinkLeft, squint);
        DrawEye(canvas, head, pose, side: -1f, pose.BlinkRight, squint);
        DrawBrow(canvas, head, side: 1f, pose.BrowLeft);
        DrawBrow(canvas, head, side: -1f, pose.BrowRight);
    }

    public void Dispose()
    {
        _opening.Dispose();
        _upperLid.Dispose();
        _lowerLid.Dispose();
        _brow.Dispose();
    }

    private void DrawEye(SKCanvas canvas, in HeadProjection head, in FacePose pose, float side, float blink, float squint)
    {
        canvas.Save();
        var frame = head.FeatureFrame(side * EyeX, EyeY, 2f);
        canvas.Concat(in frame);
        canvas.Scale(EyeScale);

        // Corners, and the lids' control points: the upper lid falls onto the lower one as the
        // eye closes, so the opening's area goes to zero at blink = 1.
        var inner = new SKPoint(-side * 36f, 4f);
        var outer = new SKPoint(side * 40f, -3f);
        var lowerY = 21f - squint;
        var upperY = lowerY + ((-34f - lowerY) * (1f - blink));
        var upperInner = new SKPoint(-side * 22f, upperY + 2f);
        var upperOuter = new SKPoint(side * 22f, upperY);
        var lowerOuter = new SKPoint(side * 22f, lowerY);
        var lowerInner = new SKPoint(-side * 20f, lowerY);

        _upperLid.Reset();
        _upperLid.MoveTo(inner);
        _upperLid.CubicTo(upperInner, upperOuter, outer);
        _upperLid.LineTo(outer.X + (side * 9f), outer.Y - 7f);

        if (blink < 0.97f)
        {
            _opening.Reset();
            _opening.MoveTo(inner);
            _opening.CubicTo(upperInner, upperOuter, outer);
            _opening.CubicTo(lowerOuter, lowerInner, inner);
            _opening.Close();
            canvas.DrawPath(_opening, _palette.EyeWhiteFill);

            canvas.Save();
            canvas.ClipPath(_opening, antialias: true);
            var gx = pose.GazeX * 15f;
            var gy = 1f - (pose.GazeY * 11f);
            canvas.DrawCircle(gx, gy, 17f, _palette.IrisFill);
            canvas.DrawCircle(gx, gy, 16f, _palette.IrisRingStroke);
            canvas.DrawCircle(gx, gy, 8f, _palette.PupilFill);
            canvas.DrawCircle(gx - 5f, gy - 6f, 4f, _palette.Glint);
            canvas.DrawPath(_upperLid, _palette.LidShadow);
            canvas.Restore();

            _lowerLid.Reset();
            _lowerLid.MoveTo(inner.X + (side * 6f), inner.Y + 4f);
            _lowerLid.CubicTo(lowerInner.X, lowerInner.Y + 1f, lowerOuter.X, lowerOuter.Y + 1f, outer.X - (side * 4f), outer.Y + 3f);
            canvas.DrawPath(_lowerLid, _palette.LowerLidStroke);
        }

        canvas.DrawPath(_upperLid, _palette.LashStroke);
        canvas.Restore();
    }

    private void DrawBrow(SKCanvas canvas, in HeadProjection head, float side, float raise)
    {
        canvas.Save();
        var frame = head.FeatureFrame(side * 80f, BrowY, 4f);
        canvas.Concat(in frame);

        // Raised brows lift the inner end most (surprise); lowered ones drop it most (a frown).
        _brow.Reset();
        _brow.MoveTo(-side * 38f, 6f - (raise * 30f));
        _brow.QuadTo(-side * 4f, -12f - (raise * 22f), side * 40f, 2f - (raise * 13f));
        canvas.DrawPath(_brow, _palette.BrowStroke);
        canvas.Restore();
    }
}
