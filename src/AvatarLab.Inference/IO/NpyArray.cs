using Microsoft.ML.OnnxRuntime;

namespace AvatarLab.Inference.IO;

/// <summary>
/// An array read from a .npy file: element type, C-order shape (empty for a 0-d scalar) and
/// the elements in a <c>float[]</c>, <c>double[]</c> or <c>long[]</c> matching <see cref="DType"/>.
/// </summary>
public sealed record NpyArray(NpyDType DType, long[] Shape, Array Data)
{
    /// <summary>
    /// Wraps the elements in a tensor without copying; the OrtValue pins the array until it is
    /// disposed. Works for 0-d scalars and for shapes with a 0 dimension (an empty cache).
    /// </summary>
    public OrtValue ToOrtValue() => DType switch
    {
        NpyDType.Float32 => OrtValue.CreateTensorValueFromMemory((float[])Data, Shape),
        NpyDType.Float64 => OrtValue.CreateTensorValueFromMemory((double[])Data, Shape),
        NpyDType.Int64 => OrtValue.CreateTensorValueFromMemory((long[])Data, Shape),
        _ => throw new InvalidOperationException($"unhandled dtype {DType}"),
    };

    /// <summary>The elements widened to double, for comparison.</summary>
    public double[] ToDoubles() => DType switch
    {
        NpyDType.Float32 => Array.ConvertAll((float[])Data, v => (double)v),
        NpyDType.Float64 => (double[])((double[])Data).Clone(),
        NpyDType.Int64 => Array.ConvertAll((long[])Data, v => (double)v),
        _ => throw new InvalidOperationException($"unhandled dtype {DType}"),
    };
}
