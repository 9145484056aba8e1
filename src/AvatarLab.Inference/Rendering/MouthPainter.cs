using SkiaSharp;

namespace AvatarLab.Inference.Rendering;

/// <summary>
/// The mouth, drawn in its feature frame (head units, u to the viewer's right, v down):
/// jaw_open opens it onto a dark interior with teeth and tongue, mouth_smile lifts or drops
/// the corners, mouth_pucker narrows and rounds it.
/// </summary>
internal sealed class MouthPainter : IDisposable
{
    private readonly FacePalette _palette;
    private readonly SKPath _lips = new();
    private readonly SKPath _opening = new();
    private readonly SKPath _line = new();
    private readonly SKPath _creases = new();

    public MouthPainter(FacePalette palette) => _palette = palette;

    public void Draw(SKCanvas canvas, in HeadProjection head, in FacePose pose)
    {
        var jaw = pose.JawOpen;
        var smile = pose.Smile;
        var pucker = pose.Pucker;

        canvas.Save();
        var frame = head.FeatureFrame(0f, -150f - (jaw * 10f), 6f);
        canvas.Concat(in frame);

        var halfWidth = 54f * (1f - (0.45f * pucker)) * (1f + (0.12f * MathF.Max(smile, 0f)));
        var cornerY = -smile * 14f;
        var mid = smile * 5f;
        var open = (jaw * 56f * (1f - (0.25f * pucker))) + (pucker * 9f);
        var topY = mid - (open * 0.3f);
        var bottomY = mid + (open * 0.85f) + (MathF.Max(smile, 0f) * open * 0.25f);
        // Handle length: 0.55 draws a lens, more a rounder "o" as the lips pucker.
        var round = 0.5f + (0.42f * pucker);
        var lipTop = 11f + (6f * pucker);
        var lipBottom = 13f + (7f * pucker);
        var left = new SKPoint(-halfWidth, cornerY);
        var right = new SKPoint(halfWidth, cornerY);

        _lips.Reset();
        _lips.MoveTo(left);
        _lips.CubicTo(-halfWidth * 0.8f, topY - lipTop, -halfWidth * 0.3f, topY - lipTop - 4f, 0f, topY - lipTop + 3f);
        _lips.CubicTo(halfWidth * 0.3f, topY - lipTop - 4f, halfWidth * 0.8f, topY - lipTop, right.X, right.Y);
        _lips.CubicTo(
            halfWidth * (round + 0.2f), bottomY + lipBottom,
            -halfWidth * (round + 0.2f), bottomY + lipBottom,
            left.X, left.Y);
        _lips.Close();
        canvas.DrawPath(_lips, _palette.LipFill);

        if (open > 1.5f)
        {
            _opening.Reset();
            _opening.MoveTo(left);
            _opening.CubicTo(-halfWidth * round, topY, halfWidth * round, topY, right.X, right.Y);
            _opening.CubicTo(halfWidth * round, bottomY, -halfWidth * round, bottomY, left.X, left.Y);
            _opening.Close();
            canvas.DrawPath(_opening, _palette.MouthFill);

            canvas.Save();
            canvas.ClipPath(_opening, antialias: true);
            var teethBottom = topY + MathF.Min(open * 0.3f, 16f);
            canvas.DrawRect(-halfWidth, topY - 20f, halfWidth * 2f, teethBottom - topY + 20f, _palette.TeethFill);
            canvas.DrawOval(0f, bottomY, halfWidth * 0.55f, open * 0.32f, _palette.TongueFill);
            canvas.Restore();
            canvas.DrawPath(_opening, _palette.LipLineStroke);
        }
        else
        {
            _line.Reset();
            _line.MoveTo(left);
            _line.CubicTo(-halfWidth * 0.4f, mid + (smile * 3f), halfWidth * 0.4f, mid + (smile * 3f), right.X, right.Y);
            canvas.DrawPath(_line, _palette.LipLineStroke);
        }

        // Smile creases at the corners; a frown gets none (the drooping corners read alone).
        if (smile > 0.15f)
        {
            _palette.CreaseStroke.Color = FacePalette.SkinShade.WithAlpha((byte)(255f * Math.Min(1f, (smile - 0.15f) * 1.6f)));
            _creases.Reset();
            for (var side = -1f; side <= 1f; side += 2f)
            {
                _creases.MoveTo(side * (halfWidth + 4f), cornerY - 12f);
                _creases.QuadTo(side * (halfWidth + 13f), cornerY, side * (halfWidth + 5f), cornerY + 11f);
            }

            canvas.DrawPath(_creases, _palette.CreaseStroke);
        }

        canvas.Restore();
    }

    public void Dispose()
    {
        _lips.Dispose();
        _opening.Dispose();
        _line.Dispose();
        _creases.Dispose();
    }
}
