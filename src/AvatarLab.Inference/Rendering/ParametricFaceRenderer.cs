using SkiaSharp;

namespace AvatarLab.Inference.Rendering;

/// <summary>
/// The built-in renderer of the model package contract: draws a stylised head from one frame
/// of face-params/1 with SkiaSharp, at any square size (the drawing is resolution-free; 256
/// and 512 are the usual sizes).
/// </summary>
/// <remarks>
/// <para>Conventions (see docs/renderer.md): the picture is the avatar seen from the front,
/// like a photograph, so the avatar's left eye and brow (blink_left, brow_left) are on the
/// viewer's right. head_yaw &gt; 0 turns the face toward the viewer's right; head_pitch &gt; 0
/// lifts the chin; head_roll &gt; 0 tilts the head counter-clockwise on screen around the
/// neck; gaze_x &gt; 0 looks to the viewer's right and gaze_y &gt; 0 up. Values outside the
/// nominal ranges are clamped.</para>
/// <para>Output is RGBA8888, every pixel opaque, so premultiplied and straight alpha read the
/// same. The same input always gives the same bytes.</para>
/// <para>Not thread-safe: it reuses one bitmap, paints and paths across frames (no managed
/// allocation per frame); use one instance per thread.</para>
/// </remarks>
public sealed class ParametricFaceRenderer : IFrameRenderer, IDisposable
{
    /// <summary>Side of the square the drawing is designed in; the canvas scales it to the size.</summary>
    internal const float DesignSize = 1000f;

    /// <summary>Where the head centre sits on the design canvas.</summary>
    internal static readonly SKPoint HeadCenter = new(500f, 430f);

    /// <summary>The point on the neck the head rolls around.</summary>
    internal static readonly SKPoint RollPivot = new(500f, 650f);

    private const float Zoom = 1.18f;
    private static readonly SKPoint _zoomCenter = new(500f, 470f);

    private readonly SKBitmap _bitmap;
    private readonly SKCanvas _canvas;
    private readonly SKBitmap _backdrop;
    private readonly FacePalette _palette = new();
    private readonly SceneryPainter _scenery;
    private readonly HeadPainter _head;
    private readonly EyePainter _eyes;
    private readonly MouthPainter _mouth;
    private bool _disposed;

    /// <summary>Creates a renderer of <paramref name="size"/> x <paramref name="size"/> pixels.</summary>
    /// <param name="size">Side in pixels, at least 16.</param>
    public ParametricFaceRenderer(int size)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 16);
        Width = size;
        Height = size;
        _bitmap = new SKBitmap(new SKImageInfo(size, size, SKColorType.Rgba8888, SKAlphaType.Premul));
        _canvas = new SKCanvas(_bitmap);
        _scenery = new SceneryPainter(_palette);
        _head = new HeadPainter(_palette);
        _eyes = new EyePainter(_palette);
        _mouth = new MouthPainter(_palette);
        _backdrop = new SKBitmap(_bitmap.Info);
        DrawBackdrop(_backdrop, _scenery);
    }

    /// <inheritdoc />
    public int Width { get; }

    /// <inheritdoc />
    public int Height { get; }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The latent has fewer than 12 channels, or
    /// <paramref name="rgba"/> is not Width * Height * 4 bytes.</exception>
    public void Render(ReadOnlySpan<float> latent, Span<byte> rgba)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var pose = new FacePose(latent);
        var pixels = _bitmap.GetPixelSpan();
        if (rgba.Length != pixels.Length)
        {
            throw new ArgumentException($"rgba holds {rgba.Length} bytes; a {Width}x{Height} frame needs {pixels.Length}.", nameof(rgba));
        }

        Draw(pose);
        pixels.CopyTo(rgba);
    }

    /// <summary>Releases the bitmap, paints and paths.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _mouth.Dispose();
        _eyes.Dispose();
        _head.Dispose();
        _scenery.Dispose();
        _palette.Dispose();
        _canvas.Dispose();
        _bitmap.Dispose();
        _backdrop.Dispose();
    }

    private void Draw(in FacePose pose)
    {
        var canvas = _canvas;
        // Background, neck and shirt never move: they are drawn once and copied in.
        _backdrop.GetPixelSpan().CopyTo(_bitmap.GetPixelSpan());
        canvas.ResetMatrix();
        canvas.Scale(Width / DesignSize, Height / DesignSize);
        // Frame the head a little closer than the design canvas: head and shoulders, as in a call.
        canvas.Scale(Zoom, Zoom, _zoomCenter.X, _zoomCenter.Y);

        var head = new HeadProjection(pose.Yaw, pose.Pitch);
        var rollDegrees = -pose.Roll * 180f / MathF.PI;
        // The head pivots on the neck behind its centre, so turning moves it a little too.
        var offsetX = head.SinYaw * 22f;
        var offsetY = -head.SinPitch * 14f;

        // The chin's shadow on the neck (clipped to the neck above the shirt, before the head
        // transform).
        canvas.Save();
        canvas.ClipPath(_scenery.Neck, antialias: true);
        canvas.ClipPath(_scenery.Shirt, SKClipOperation.Difference, antialias: true);
        canvas.RotateDegrees(rollDegrees, RollPivot.X, RollPivot.Y);
        canvas.Translate(HeadCenter.X + offsetX, HeadCenter.Y + offsetY);
        var chin = head.ProjectRim(0f, -258f - (pose.JawOpen * 30f), 112f);
        canvas.Translate(chin.X, chin.Y + 18f);
        canvas.Scale(150f, 70f);
        canvas.DrawCircle(0f, 0f, 1f, _palette.ShadeBlob);
        canvas.Restore();

        canvas.Save();
        canvas.RotateDegrees(rollDegrees, RollPivot.X, RollPivot.Y);
        canvas.Translate(HeadCenter.X + offsetX, HeadCenter.Y + offsetY);
        _head.DrawBack(canvas);
        _head.DrawFace(canvas, head, pose);
        _mouth.Draw(canvas, head, pose);
        _eyes.Draw(canvas, head, pose);
        _head.DrawFrontHair(canvas, head);
        canvas.Restore();
        canvas.Flush();
    }

    private static void DrawBackdrop(SKBitmap target, SceneryPainter scenery)
    {
        using var canvas = new SKCanvas(target);
        canvas.Scale(target.Width / DesignSize, target.Height / DesignSize);
        canvas.Scale(Zoom, Zoom, _zoomCenter.X, _zoomCenter.Y);
        scenery.DrawBackground(canvas);
        scenery.DrawNeck(canvas);
        scenery.DrawShirt(canvas);
        canvas.Flush();
    }
}
