using SkiaSharp;

namespace AvatarLab.Inference.Rendering;

/// <summary>Smooth curves through points (Catmull-Rom turned into cubic Béziers).</summary>
internal static class Splines
{
    /// <summary>Adds a closed smooth contour through <paramref name="points"/>.</summary>
    public static void AddClosed(SKPath path, ReadOnlySpan<SKPoint> points)
    {
        var n = points.Length;
        path.MoveTo(points[0]);
        for (var i = 0; i < n; i++)
        {
            var p0 = points[(i - 1 + n) % n];
            var p1 = points[i];
            var p2 = points[(i + 1) % n];
            var p3 = points[(i + 2) % n];
            path.CubicTo(p1 + Scale(p2 - p0, 1f / 6f), p2 - Scale(p3 - p1, 1f / 6f), p2);
        }

        path.Close();
    }

    /// <summary>
    /// Adds an open smooth curve through <paramref name="points"/>; with
    /// <paramref name="continuePath"/> it lines on from the current point instead of moving.
    /// </summary>
    public static void AddOpen(SKPath path, ReadOnlySpan<SKPoint> points, bool continuePath = false)
    {
        var n = points.Length;
        if (continuePath)
        {
            path.LineTo(points[0]);
        }
        else
        {
            path.MoveTo(points[0]);
        }

        for (var i = 0; i < n - 1; i++)
        {
            var p0 = points[Math.Max(i - 1, 0)];
            var p1 = points[i];
            var p2 = points[i + 1];
            var p3 = points[Math.Min(i + 2, n - 1)];
            path.CubicTo(p1 + Scale(p2 - p0, 1f / 6f), p2 - Scale(p3 - p1, 1f / 6f), p2);
        }
    }

    private static SKPoint Scale(SKPoint p, float s) => new(p.X * s, p.Y * s);
}
