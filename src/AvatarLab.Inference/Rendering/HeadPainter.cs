using SkiaSharp;

namespace AvatarLab.Inference.Rendering;

/// <summary>
/// The head itself: hair, ears, skin with its shading, cheeks and nose. Draws in head-screen
/// coordinates (origin at the head centre, y down) on a canvas the renderer has already moved
/// and rolled. Paths are reset and refilled every frame, never reallocated.
/// </summary>
internal sealed class HeadPainter : IDisposable
{
    private const float HairCenterY = -14f;
    private const float HairRadiusX = HeadProjection.RadiusX + 32f;
    private const float HairRadiusY = HeadProjection.RadiusY + 22f;

    // The skin outline (right half, crown to chin) in head space: the skull's silhouette in
    // the z = 0 plane, then the jaw coming forward to the chin.
    private static readonly (float X, float Y, float Z)[] _rim =
    [
        (0f, 250f, 0f), (105f, 224f, 0f), (168f, 152f, 0f), (191f, 50f, 0f), (189f, -30f, 0f),
        (174f, -105f, 30f), (140f, -182f, 70f), (82f, -236f, 100f), (0f, -256f, 112f),
    ];

    // The hairline from the avatar's right temple (viewer's left) to its left temple, with a
    // side parting; symmetric below the fringe so the neutral face stays symmetric.
    private static readonly (float X, float Y)[] _hairline =
    [
        (-198f, 22f), (-190f, 80f), (-166f, 132f), (-120f, 170f), (-72f, 186f), (-52f, 164f), (0f, 150f),
        (60f, 150f), (115f, 138f), (160f, 108f), (190f, 72f), (198f, 22f),
    ];

    private readonly FacePalette _palette;
    private readonly SKPath _backHair = new();
    private readonly SKPath _skin = new();
    private readonly SKPath _frontHair = new();
    private readonly SKPath _shine = new();
    private readonly SKPath _strands = new();
    private readonly SKPath _ear = new();
    private readonly SKPath _earInner = new();
    private readonly SKPath _noseLine = new();

    public HeadPainter(FacePalette palette) => _palette = palette;

    /// <summary>The soft shadow the head throws on the backdrop, and the hair behind the head.</summary>
    public void DrawBack(SKCanvas canvas)
    {
        canvas.Save();
        canvas.Translate(0f, 40f);
        canvas.Scale(270f, 320f);
        canvas.DrawCircle(0f, 0f, 1f, _palette.SoftShadow);
        canvas.Restore();

        _backHair.Reset();
        Span<SKPoint> points = stackalloc SKPoint[14];
        var n = 0;
        for (var deg = -20f; deg <= 200.5f; deg += 22f)
        {
            points[n++] = Ellipse(deg);
        }

        points[n++] = new SKPoint(-150f, 110f);
        points[n++] = new SKPoint(0f, 140f);
        points[n++] = new SKPoint(150f, 110f);
        Splines.AddClosed(_backHair, points[..n]);
        canvas.DrawPath(_backHair, _palette.HairFill);
    }

    /// <summary>Ears, skin, shading, cheeks and nose.</summary>
    public void DrawFace(SKCanvas canvas, in HeadProjection head, in FacePose pose)
    {
        DrawEar(canvas, head, -1f);
        DrawEar(canvas, head, 1f);

        _skin.Reset();
        Span<SKPoint> rim = stackalloc SKPoint[(_rim.Length * 2) - 2];
        var n = 0;
        for (var i = 0; i < _rim.Length; i++)
        {
            rim[n++] = RimPoint(head, _rim[i], 1f, pose.JawOpen);
        }

        for (var i = _rim.Length - 2; i > 0; i--)
        {
            rim[n++] = RimPoint(head, _rim[i], -1f, pose.JawOpen);
        }

        Splines.AddClosed(_skin, rim);
        canvas.DrawPath(_skin, _palette.SkinFill);

        canvas.Save();
        canvas.ClipPath(_skin, antialias: true);
        var center = head.ProjectSurface(0f, -10f);
        DrawBlob(canvas, _palette.SkinEdge, center, 238f, 300f);
        DrawBlob(canvas, _palette.SkinLight, head.ProjectSurface(0f, 120f), 130f, 95f);
        var blush = 0.45f + (0.55f * MathF.Max(pose.Smile, 0f));
        _palette.BlushFill.Color = SKColors.White.WithAlpha((byte)(255f * blush));
        for (var side = -1f; side <= 1f; side += 2f)
        {
            canvas.Save();
            var frame = head.FeatureFrame(side * 112f, -92f + (12f * pose.Smile), 0f);
            canvas.Concat(in frame);
            canvas.Scale(46f, 30f);
            canvas.DrawCircle(0f, 0f, 1f, _palette.BlushFill);
            canvas.Restore();
        }

        canvas.Restore();
        DrawNose(canvas, head);
    }

    /// <summary>The fringe and the top of the hair, over the forehead.</summary>
    public void DrawFrontHair(SKCanvas canvas, in HeadProjection head)
    {
        _frontHair.Reset();
        Span<SKPoint> points = stackalloc SKPoint[_hairline.Length + 10];
        var n = 0;
        for (var i = _hairline.Length - 1; i >= 0; i--)
        {
            var (x, y) = _hairline[i];
            points[n++] = head.ProjectRim(x, y, HeadProjection.SurfaceZ(x, y) + 14f);
        }

        for (var deg = 178f; deg >= 1.5f; deg -= 22f)
        {
            points[n++] = Ellipse(deg);
        }

        Splines.AddClosed(_frontHair, points[..n]);
        canvas.DrawPath(_frontHair, _palette.HairFill);

        // Strands sweeping from the parting give the fringe its direction.
        _strands.Reset();
        Span<SKPoint> strand = stackalloc SKPoint[4];
        for (var k = 0; k < 3; k++)
        {
            var drop = k * 17f;
            strand[0] = HairPoint(head, -70f + (k * 8f), 214f - (drop * 0.4f));
            strand[1] = HairPoint(head, 5f, 206f - drop);
            strand[2] = HairPoint(head, 85f, 194f - drop);
            strand[3] = HairPoint(head, 160f, 150f - drop);
            Splines.AddOpen(_strands, strand);
        }

        canvas.Save();
        canvas.ClipPath(_frontHair, antialias: true);
        canvas.DrawPath(_strands, _palette.HairStrand);
        canvas.Restore();

        // A glossy arc over the crown that follows the head's turn a little.
        _shine.Reset();
        var shift = head.SinYaw * 40f;
        _shine.MoveTo(-120f + shift, -200f);
        _shine.QuadTo(-40f + shift, -258f, 60f + shift, -240f);
        canvas.DrawPath(_shine, _palette.HairShine);
    }

    public void Dispose()
    {
        _backHair.Dispose();
        _skin.Dispose();
        _frontHair.Dispose();
        _shine.Dispose();
        _strands.Dispose();
        _ear.Dispose();
        _earInner.Dispose();
        _noseLine.Dispose();
    }

    private static SKPoint HairPoint(in HeadProjection head, float x, float y) =>
        head.ProjectRim(x, y, HeadProjection.SurfaceZ(x, y) + 16f);

    private static SKPoint Ellipse(float degrees)
    {
        var a = degrees * MathF.PI / 180f;
        return new SKPoint(HairRadiusX * MathF.Cos(a), HairCenterY - (HairRadiusY * MathF.Sin(a)));
    }

    private static SKPoint RimPoint(in HeadProjection head, (float X, float Y, float Z) p, float side, float jaw)
    {
        var y = p.Y;
        if (y < -90f)
        {
            // The jaw drops the chin by up to 30 units, the jaw's sides less.
            var w = (-y - 90f) / 168f;
            y -= jaw * 30f * w * w;
        }

        return head.ProjectRim(side * p.X, y, p.Z);
    }

    private static void DrawBlob(SKCanvas canvas, SKPaint paint, SKPoint center, float rx, float ry)
    {
        canvas.Save();
        canvas.Translate(center.X, center.Y);
        canvas.Scale(rx, ry);
        canvas.DrawCircle(0f, 0f, 1f, paint);
        canvas.Restore();
    }

    private void DrawEar(SKCanvas canvas, in HeadProjection head, float side)
    {
        // How far the ear has turned toward the back: it hides behind the head at 0.45 rad.
        var turn = side * head.Yaw;
        var visible = Math.Clamp((0.45f - turn) / 0.45f, 0f, 1f);
        if (visible <= 0.02f)
        {
            return;
        }

        var anchor = head.ProjectRim(side * 184f, -38f, 0f);
        var w = 42f * (0.55f + (0.45f * visible));
        _ear.Reset();
        Span<SKPoint> ear =
        [
            new(anchor.X, anchor.Y - 48f), new(anchor.X + (side * w * 0.85f), anchor.Y - 54f),
            new(anchor.X + (side * w), anchor.Y - 16f), new(anchor.X + (side * w * 0.62f), anchor.Y + 28f),
            new(anchor.X + (side * w * 0.15f), anchor.Y + 48f), new(anchor.X - (side * 10f), anchor.Y + 32f),
            new(anchor.X - (side * 12f), anchor.Y - 20f),
        ];
        Splines.AddClosed(_ear, ear);
        canvas.DrawPath(_ear, _palette.SkinFill);

        _earInner.Reset();
        _earInner.MoveTo(anchor.X + (side * w * 0.15f), anchor.Y - 30f);
        _earInner.CubicTo(
            anchor.X + (side * w * 0.8f), anchor.Y - 36f,
            anchor.X + (side * w * 0.75f), anchor.Y + 4f,
            anchor.X + (side * w * 0.3f), anchor.Y + 22f);
        canvas.DrawPath(_earInner, _palette.SkinLine);
    }

    private void DrawNose(SKCanvas canvas, in HeadProjection head)
    {
        canvas.Save();
        var frame = head.FeatureFrame(0f, -76f, 26f);
        canvas.Concat(in frame);

        canvas.Save();
        canvas.Translate(0f, 14f);
        canvas.Scale(30f, 12f);
        canvas.DrawCircle(0f, 0f, 1f, _palette.ShadeBlob);
        canvas.Restore();

        _noseLine.Reset();
        _noseLine.MoveTo(-20f, -4f);
        _noseLine.CubicTo(-16f, 8f, -8f, 6f, 0f, 8f);
        _noseLine.CubicTo(8f, 6f, 16f, 8f, 20f, -4f);
        canvas.DrawPath(_noseLine, _palette.SkinLine);
        canvas.Restore();
    }
}
