using System.Globalization;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace AvatarLab.OnnxCheck;

/// <summary>How shapes, numbers and types are written in the check's output.</summary>
internal static class TextFormat
{
    public static string Shape(IEnumerable<long> shape) => $"[{string.Join(",", shape)}]";

    /// <summary>Two significant digits in exponent form, e.g. <c>1.2e-06</c>.</summary>
    public static string Number(double value) =>
        double.IsNaN(value) ? "n/a" : value.ToString("0.0e+00", CultureInfo.InvariantCulture);

    /// <summary>numpy-style names (float32, int64) for the element types of a model's tensors.</summary>
    public static string ElementType(TensorElementType type) => type switch
    {
        TensorElementType.Float => "float32",
        TensorElementType.Double => "float64",
        TensorElementType.Float16 => "float16",
        TensorElementType.BFloat16 => "bfloat16",
        TensorElementType.Int64 => "int64",
        TensorElementType.Int32 => "int32",
        TensorElementType.Bool => "bool",
        _ => type.ToString().ToLowerInvariant(),
    };

    /// <summary>A model tensor's declared shape: fixed sizes, symbolic names, or ? for unnamed free dimensions.</summary>
    public static string DeclaredShape(NodeMetadata metadata)
    {
        var dims = metadata.Dimensions.Select((size, i) =>
            size >= 0 ? size.ToString(CultureInfo.InvariantCulture)
            : string.IsNullOrEmpty(metadata.SymbolicDimensions[i]) ? "?"
            : metadata.SymbolicDimensions[i]);
        return $"[{string.Join(",", dims)}]";
    }
}
