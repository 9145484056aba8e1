using SkiaSharp;

namespace AvatarLab.Inference.Rendering;

/// <summary>
/// What does not move with the face: background, neck and shoulders (design units,
/// 1000 x 1000). The paths are built once.
/// </summary>
internal sealed class SceneryPainter : IDisposable
{
    private readonly FacePalette _palette;
    private readonly SKPath _neck = new();
    private readonly SKPath _shirt = new();
    private readonly SKPath _neckline = new();

    public SceneryPainter(FacePalette palette)
    {
        _palette = palette;

        ReadOnlySpan<SKPoint> neck =
        [
            new(428f, 540f), new(424f, 690f), new(404f, 790f), new(596f, 790f), new(576f, 690f), new(572f, 540f),
        ];
        Splines.AddOpen(_neck, neck);
        _neck.Close();

        _shirt.MoveTo(40f, 1010f);
        _shirt.CubicTo(50f, 880f, 130f, 815f, 260f, 790f);
        _shirt.CubicTo(330f, 776f, 380f, 760f, 410f, 748f);
        _shirt.CubicTo(440f, 800f, 560f, 800f, 590f, 748f);
        _shirt.CubicTo(620f, 760f, 670f, 776f, 740f, 790f);
        _shirt.CubicTo(870f, 815f, 950f, 880f, 960f, 1010f);
        _shirt.Close();

        _neckline.MoveTo(405f, 752f);
        _neckline.CubicTo(440f, 806f, 560f, 806f, 595f, 752f);
    }

    /// <summary>The neck outline, for clipping the chin's shadow.</summary>
    public SKPath Neck => _neck;

    /// <summary>The shirt outline, which covers the bottom of the neck.</summary>
    public SKPath Shirt => _shirt;

    public void DrawBackground(SKCanvas canvas)
    {
        canvas.DrawPaint(_palette.Background);
        // A soft contact shadow of the shoulders on the backdrop.
        canvas.Save();
        canvas.Translate(500f, 930f);
        canvas.Scale(520f, 200f);
        canvas.DrawCircle(0f, 0f, 1f, _palette.SoftShadow);
        canvas.Restore();
    }

    public void DrawNeck(SKCanvas canvas) => canvas.DrawPath(_neck, _palette.NeckFill);

    public void DrawShirt(SKCanvas canvas)
    {
        canvas.DrawPath(_shirt, _palette.ShirtFill);
        canvas.DrawPath(_neckline, _palette.Collar);
    }

    public void Dispose()
    {
        _neck.Dispose();
        _shirt.Dispose();
        _neckline.Dispose();
    }
}
