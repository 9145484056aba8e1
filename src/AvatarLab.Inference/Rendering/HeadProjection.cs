using SkiaSharp;

namespace AvatarLab.Inference.Rendering;

/// <summary>
/// Orthographic projection of the stylised head for one yaw and pitch, in design units (the
/// renderer draws on a 1000 x 1000 canvas). Head space: origin at the head centre, x to the
/// viewer's right, y up, z toward the viewer; the result is relative to the head centre on
/// screen (y down). Positive yaw turns the face toward the viewer's right, positive pitch
/// lifts the chin (face-params/1 as the synthetic data writes it).
/// </summary>
internal readonly struct HeadProjection
{
    /// <summary>Half-width of the head ellipsoid.</summary>
    public const float RadiusX = 190f;

    /// <summary>Half-height of the head ellipsoid (chin to crown is a bit more: the jaw).</summary>
    public const float RadiusY = 250f;

    /// <summary>Depth of the face surface in front of the centre.</summary>
    public const float RadiusZ = 175f;

    private readonly float _cosYaw;
    private readonly float _sinYaw;
    private readonly float _cosPitch;
    private readonly float _sinPitch;
    private readonly float _yaw;
    private readonly float _pitch;

    public HeadProjection(float yaw, float pitch)
    {
        _yaw = yaw;
        _pitch = pitch;
        _cosYaw = MathF.Cos(yaw);
        _sinYaw = MathF.Sin(yaw);
        _cosPitch = MathF.Cos(pitch);
        _sinPitch = MathF.Sin(pitch);
    }

    public float Yaw => _yaw;

    public float SinYaw => _sinYaw;

    public float SinPitch => _sinPitch;

    /// <summary>Depth of the face surface at (x, y), never behind the centre plane.</summary>
    public static float SurfaceZ(float x, float y)
    {
        var u = x / RadiusX;
        var v = y / RadiusY;
        return RadiusZ * MathF.Sqrt(MathF.Max(0f, 1f - (u * u) - (v * v)));
    }

    /// <summary>Projects a head-space point.</summary>
    public SKPoint Project(float x, float y, float z)
    {
        var x1 = (x * _cosYaw) + (z * _sinYaw);
        var z1 = (-x * _sinYaw) + (z * _cosYaw);
        var y2 = (y * _cosPitch) + (z1 * _sinPitch);
        return new SKPoint(x1, -y2);
    }

    /// <summary>Projects a point on the face surface, <paramref name="lift"/> units above it.</summary>
    public SKPoint ProjectSurface(float x, float y, float lift = 0f) => Project(x, y, SurfaceZ(x, y) + lift);

    /// <summary>
    /// Projects a point of the head's outline: a point that would turn behind the silhouette
    /// stays on it instead, so the near cheek becomes the head's edge and the far one narrows.
    /// </summary>
    public SKPoint ProjectRim(float x, float y, float z)
    {
        const float HalfPi = MathF.PI / 2f;
        var r = MathF.Sqrt((x * x) + (z * z));
        var a = Math.Clamp(MathF.Atan2(x, z) + _yaw, -HalfPi, HalfPi);
        var x1 = r * MathF.Sin(a);
        var z1 = r * MathF.Cos(a);
        var rho = MathF.Sqrt((y * y) + (z1 * z1));
        var b = Math.Clamp(MathF.Atan2(y, z1) + _pitch, -HalfPi, HalfPi);
        return new SKPoint(x1, -rho * MathF.Sin(b));
    }

    /// <summary>
    /// The affine frame of a feature drawn flat on the face at (x, y): local u runs to the
    /// viewer's right and local v down, one unit each, foreshortened as the surface turns.
    /// </summary>
    public SKMatrix FeatureFrame(float x, float y, float lift)
    {
        const float H = 4f;
        var p = ProjectSurface(x, y, lift);
        var px = ProjectSurface(x + H, y, lift);
        var py = ProjectSurface(x, y - H, lift);
        return new SKMatrix(
            (px.X - p.X) / H, (py.X - p.X) / H, p.X,
            (px.Y - p.Y) / H, (py.Y - p.Y) / H, p.Y,
            0f, 0f, 1f);
    }
}
