using Microsoft.ML.OnnxRuntime.Tensors;

namespace AvatarLab.Inference.Packages;

/// <summary>One row of the contract's tables: a named tensor with its element type and axes.</summary>
internal sealed record TensorRule(string Name, TensorElementType ElementType, IReadOnlyList<DimRule> Dims, bool Optional = false)
{
    public static TensorRule Float(string name, params DimRule[] dims) => new(name, TensorElementType.Float, dims);

    public string ShapeText => "[" + string.Join(", ", Dims.Select(d => d.Label)) + "]";
}
