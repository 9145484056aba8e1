using System.Numerics;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace AvatarLab.OnnxCheck;

/// <summary>Compares a model output with the expected array, element by element in double precision.</summary>
internal static class OutputComparer
{
    public static OutputCheck Compare(string name, OrtValue actual, NpyArray expected, double tolerance)
    {
        var info = actual.GetTensorTypeAndShape();
        var shape = info.Shape;
        if (!shape.SequenceEqual(expected.Shape))
        {
            return new OutputCheck(name, shape, double.NaN, $"shape mismatch, expected {TextFormat.Shape(expected.Shape)}");
        }

        var values = ToDoubles(actual, info.ElementDataType);
        if (values is null)
        {
            return new OutputCheck(name, shape, double.NaN, $"cannot compare element type {TextFormat.ElementType(info.ElementDataType)}");
        }

        var reference = expected.ToDoubles();
        double maxAbsDiff = 0;
        long nonFiniteActual = 0, nonFiniteExpected = 0;
        for (var i = 0; i < values.Length; i++)
        {
            var (a, e) = (values[i], reference[i]);
            if (!double.IsFinite(a))
            {
                nonFiniteActual++;
            }

            if (!double.IsFinite(e))
            {
                nonFiniteExpected++;
            }

            if (double.IsFinite(a) && double.IsFinite(e))
            {
                maxAbsDiff = Math.Max(maxAbsDiff, Math.Abs(a - e));
            }
        }

        var failure =
            nonFiniteActual > 0 ? $"non-finite values: {nonFiniteActual} in output"
            : nonFiniteExpected > 0 ? $"non-finite values: {nonFiniteExpected} in expected"
            : maxAbsDiff > tolerance ? $"max_abs_diff > tol {TextFormat.Number(tolerance)}"
            : null;
        return new OutputCheck(name, shape, maxAbsDiff, failure);
    }

    private static double[]? ToDoubles(OrtValue value, TensorElementType type) => type switch
    {
        TensorElementType.Float => Widen(value.GetTensorDataAsSpan<float>()),
        TensorElementType.Double => value.GetTensorDataAsSpan<double>().ToArray(),
        TensorElementType.Int64 => Widen(value.GetTensorDataAsSpan<long>()),
        _ => null,
    };

    private static double[] Widen<T>(ReadOnlySpan<T> values)
        where T : INumberBase<T>
    {
        var result = new double[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            result[i] = double.CreateTruncating(values[i]);
        }

        return result;
    }
}
