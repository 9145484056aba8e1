namespace AvatarLab.Inference.Tests.Rendering;

/// <summary>Pixel measurements on an RGBA frame, over a region given in fractions of the frame.</summary>
internal sealed class FrameProbe(byte[] rgba, int width, int height)
{
    /// <summary>The parametric renderer's iris blue, and nothing else it draws.</summary>
    public static readonly Func<byte, byte, byte, bool> IsIris = (r, g, b) => b > 150 && b > r + 60 && b > g + 30;

    /// <summary>The pupil's near-black (lashes, brows and hair are browner and lighter).</summary>
    public static readonly Func<byte, byte, byte, bool> IsPupil = (r, g, b) => r < 32 && g < 32 && b < 42;

    /// <summary>Dark enough for the mouth's interior (the closed lips' line is lighter).</summary>
    public static readonly Func<byte, byte, byte, bool> IsDark = (r, g, b) => (0.299 * r) + (0.587 * g) + (0.114 * b) < 70;

    public byte[] Bytes => rgba;

    public int Count(Func<byte, byte, byte, bool> predicate, double x0 = 0, double y0 = 0, double x1 = 1, double y1 = 1)
    {
        var n = 0;
        Visit(predicate, x0, y0, x1, y1, (_, _) => n++);
        return n;
    }

    /// <summary>Mean position of matching pixels in pixels; NaN when none match.</summary>
    public (double X, double Y) Centroid(Func<byte, byte, byte, bool> predicate, double x0 = 0, double y0 = 0, double x1 = 1, double y1 = 1)
    {
        double sx = 0, sy = 0;
        var n = 0;
        Visit(predicate, x0, y0, x1, y1, (x, y) =>
        {
            sx += x;
            sy += y;
            n++;
        });
        return n == 0 ? (double.NaN, double.NaN) : (sx / n, sy / n);
    }

    /// <summary>Width in pixels from the leftmost to the rightmost matching pixel; 0 when none match.</summary>
    public int HorizontalExtent(Func<byte, byte, byte, bool> predicate, double x0 = 0, double y0 = 0, double x1 = 1, double y1 = 1)
    {
        var min = int.MaxValue;
        var max = int.MinValue;
        Visit(predicate, x0, y0, x1, y1, (x, _) =>
        {
            min = Math.Min(min, x);
            max = Math.Max(max, x);
        });
        return max < min ? 0 : max - min + 1;
    }

    /// <summary>Centroids of matching pixels left and right of their common centroid (the two eyes).</summary>
    public ((double X, double Y) Left, (double X, double Y) Right) SplitCentroids(Func<byte, byte, byte, bool> predicate)
    {
        var all = Centroid(predicate);
        var split = all.X / width;
        return (Centroid(predicate, 0, 0, split, 1), Centroid(predicate, split, 0, 1, 1));
    }

    /// <summary>Mean absolute difference per channel between the rows and their mirror image.</summary>
    public double MirrorDifference(double y0, double y1)
    {
        long sum = 0;
        long n = 0;
        for (var y = (int)(y0 * height); y < (int)(y1 * height); y++)
        {
            for (var x = 0; x < width; x++)
            {
                var a = ((y * width) + x) * 4;
                var b = ((y * width) + (width - 1 - x)) * 4;
                for (var c = 0; c < 3; c++)
                {
                    sum += Math.Abs(rgba[a + c] - rgba[b + c]);
                    n++;
                }
            }
        }

        return (double)sum / n;
    }

    private void Visit(Func<byte, byte, byte, bool> predicate, double x0, double y0, double x1, double y1, Action<int, int> hit)
    {
        for (var y = (int)(y0 * height); y < (int)(y1 * height); y++)
        {
            for (var x = (int)(x0 * width); x < (int)(x1 * width); x++)
            {
                var i = ((y * width) + x) * 4;
                if (predicate(rgba[i], rgba[i + 1], rgba[i + 2]))
                {
                    hit(x, y);
                }
            }
        }
    }
}
