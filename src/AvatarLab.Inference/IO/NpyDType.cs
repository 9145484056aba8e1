namespace AvatarLab.Inference.IO;

/// <summary>The .npy element types the engine reads: little-endian float32, float64 and int64.</summary>
public enum NpyDType
{
    Float32,
    Float64,
    Int64,
}

public static class NpyDTypeExtensions
{
    /// <summary>Maps a numpy <c>descr</c> string to a type, or null for one the engine does not read.</summary>
    public static NpyDType? FromDescr(string descr) => descr switch
    {
        "<f4" => NpyDType.Float32,
        "<f8" => NpyDType.Float64,
        "<i8" => NpyDType.Int64,
        _ => null,
    };

    public static string Descr(this NpyDType type) => type switch
    {
        NpyDType.Float32 => "<f4",
        NpyDType.Float64 => "<f8",
        NpyDType.Int64 => "<i8",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    public static int ItemSize(this NpyDType type) => type switch
    {
        NpyDType.Float32 => sizeof(float),
        NpyDType.Float64 => sizeof(double),
        NpyDType.Int64 => sizeof(long),
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };
}
