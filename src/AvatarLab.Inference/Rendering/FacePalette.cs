using SkiaSharp;

namespace AvatarLab.Inference.Rendering;

/// <summary>
/// The colours and paints of the parametric face, created once per renderer and reused every
/// frame (gradients are built around the origin of the frame they are drawn in, so moving a
/// feature moves the canvas, not the shader). The pixel tests rely on the iris being the only
/// saturated blue and the pupil the only near-black.
/// </summary>
internal sealed class FacePalette : IDisposable
{
    public static readonly SKColor Skin = new(0xF6, 0xCB, 0xA8);
    public static readonly SKColor SkinShade = new(0xDE, 0x9E, 0x7C);
    public static readonly SKColor Hair = new(0x4A, 0x2F, 0x24);
    public static readonly SKColor HairLight = new(0x7A, 0x52, 0x3E);
    public static readonly SKColor EyeWhite = new(0xFC, 0xF9, 0xF5);
    public static readonly SKColor Iris = new(0x3C, 0x7D, 0xD0);
    public static readonly SKColor IrisRing = new(0x24, 0x4E, 0x8C);
    public static readonly SKColor Pupil = new(0x14, 0x13, 0x1C);
    public static readonly SKColor Lash = new(0x33, 0x22, 0x20);
    public static readonly SKColor Brow = new(0x43, 0x2A, 0x20);
    public static readonly SKColor Lip = new(0xD4, 0x74, 0x78);
    public static readonly SKColor LipLine = new(0x9A, 0x40, 0x48);
    public static readonly SKColor MouthInside = new(0x4A, 0x16, 0x1E);
    public static readonly SKColor Teeth = new(0xFF, 0xFD, 0xF7);
    public static readonly SKColor Tongue = new(0xD6, 0x66, 0x70);
    public static readonly SKColor Shirt = new(0x2F, 0x9B, 0x8A);
    public static readonly SKColor ShirtShade = new(0x1F, 0x6E, 0x66);
    public static readonly SKColor Blush = new(0xF2, 0x84, 0x7C);

    private readonly List<IDisposable> _owned = [];

    public FacePalette()
    {
        Background = Fill(SKColors.White, SKShader.CreateRadialGradient(
            new SKPoint(500f, 420f), 760f,
            [new SKColor(0xF1, 0xF3, 0xF6), new SKColor(0xC3, 0xCD, 0xD8)], [0f, 1f], SKShaderTileMode.Clamp));
        SoftShadow = Fill(SKColors.White, SKShader.CreateRadialGradient(
            SKPoint.Empty, 1f,
            [new SKColor(0x1C, 0x24, 0x30, 0x50), new SKColor(0x1C, 0x24, 0x30, 0x20), new SKColor(0x1C, 0x24, 0x30, 0)],
            [0f, 0.6f, 1f], SKShaderTileMode.Clamp));
        ShirtFill = Fill(SKColors.White, SKShader.CreateLinearGradient(
            new SKPoint(0f, 740f), new SKPoint(0f, 1000f), [Shirt, ShirtShade], [0f, 1f], SKShaderTileMode.Clamp));
        Collar = Stroke(new SKColor(0x25, 0x80, 0x73), 16f);
        NeckFill = Fill(SKColors.White, SKShader.CreateLinearGradient(
            new SKPoint(0f, 560f), new SKPoint(0f, 800f), [SkinShade, Skin], [0.15f, 1f], SKShaderTileMode.Clamp));
        SkinFill = Fill(Skin);
        SkinEdge = Fill(SKColors.White, SKShader.CreateRadialGradient(
            SKPoint.Empty, 1f,
            [SkinShade.WithAlpha(0), SkinShade.WithAlpha(0), SkinShade.WithAlpha(0xB0)], [0f, 0.62f, 1f], SKShaderTileMode.Clamp));
        SkinLight = Fill(SKColors.White, SKShader.CreateRadialGradient(
            SKPoint.Empty, 1f, [new SKColor(0xFF, 0xF4, 0xE8, 0x90), new SKColor(0xFF, 0xF4, 0xE8, 0)], [0f, 1f], SKShaderTileMode.Clamp));
        SkinLine = Stroke(SkinShade, 4.5f);
        ShadeBlob = Fill(SKColors.White, SKShader.CreateRadialGradient(
            SKPoint.Empty, 1f, [SkinShade.WithAlpha(0xB0), SkinShade.WithAlpha(0)], [0f, 1f], SKShaderTileMode.Clamp));
        BlushFill = Fill(SKColors.White, SKShader.CreateRadialGradient(
            SKPoint.Empty, 1f, [Blush.WithAlpha(0xA0), Blush.WithAlpha(0)], [0f, 1f], SKShaderTileMode.Clamp));
        HairFill = Fill(SKColors.White, SKShader.CreateRadialGradient(
            new SKPoint(-70f, -200f), 340f, [HairLight, Hair, Hair], [0f, 0.55f, 1f], SKShaderTileMode.Clamp));
        HairShine = Stroke(HairLight.WithAlpha(0xA0), 14f);
        HairStrand = Stroke(new SKColor(0x2E, 0x1C, 0x15, 0x70), 5f);
        EyeWhiteFill = Fill(EyeWhite);
        LidShadow = Stroke(SkinShade.WithAlpha(0x70), 12f);
        IrisFill = Fill(Iris);
        IrisRingStroke = Stroke(IrisRing, 3.5f);
        PupilFill = Fill(Pupil);
        Glint = Fill(SKColors.White);
        LashStroke = Stroke(Lash, 6f);
        LowerLidStroke = Stroke(Lash.WithAlpha(0x55), 2.5f);
        BrowStroke = Stroke(Brow, 12f);
        LipFill = Fill(Lip);
        LipLineStroke = Stroke(LipLine, 4f);
        MouthFill = Fill(MouthInside);
        TeethFill = Fill(Teeth);
        TongueFill = Fill(Tongue);
        CreaseStroke = Stroke(SkinShade, 3.5f);
    }

    public SKPaint Background { get; }
    public SKPaint SoftShadow { get; }
    public SKPaint ShirtFill { get; }
    public SKPaint Collar { get; }
    public SKPaint NeckFill { get; }
    public SKPaint SkinFill { get; }
    public SKPaint SkinEdge { get; }
    public SKPaint SkinLight { get; }
    public SKPaint SkinLine { get; }
    public SKPaint ShadeBlob { get; }
    public SKPaint BlushFill { get; }
    public SKPaint HairFill { get; }
    public SKPaint HairShine { get; }
    public SKPaint HairStrand { get; }
    public SKPaint EyeWhiteFill { get; }
    public SKPaint LidShadow { get; }
    public SKPaint IrisFill { get; }
    public SKPaint IrisRingStroke { get; }
    public SKPaint PupilFill { get; }
    public SKPaint Glint { get; }
    public SKPaint LashStroke { get; }
    public SKPaint LowerLidStroke { get; }
    public SKPaint BrowStroke { get; }
    public SKPaint LipFill { get; }
    public SKPaint LipLineStroke { get; }
    public SKPaint MouthFill { get; }
    public SKPaint TeethFill { get; }
    public SKPaint TongueFill { get; }
    public SKPaint CreaseStroke { get; }

    public void Dispose()
    {
        foreach (var item in _owned)
        {
            item.Dispose();
        }

        _owned.Clear();
    }

    private SKPaint Fill(SKColor color, SKShader? shader = null)
    {
        var paint = new SKPaint { IsAntialias = true, Style = SKPaintStyle.Fill, Color = color, Shader = shader };
        Own(shader);
        return Own(paint);
    }

    private SKPaint Stroke(SKColor color, float width)
    {
        var paint = new SKPaint
        {
            IsAntialias = true,
            Style = SKPaintStyle.Stroke,
            Color = color,
            StrokeWidth = width,
            StrokeCap = SKStrokeCap.Round,
            StrokeJoin = SKStrokeJoin.Round,
        };
        return Own(paint);
    }

    private T Own<T>(T item)
    {
        if (item is IDisposable disposable)
        {
            _owned.Add(disposable);
        }

        return item;
    }
}
