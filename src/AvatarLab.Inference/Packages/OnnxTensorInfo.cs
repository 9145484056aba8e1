using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace AvatarLab.Inference.Packages;

/// <summary>What an ONNX file declares for one input or output; -1 marks a symbolic axis.</summary>
internal sealed record OnnxTensorInfo(OnnxValueType ValueType, TensorElementType ElementType, IReadOnlyList<long> Dims)
{
    public static OnnxTensorInfo From(NodeMetadata metadata) =>
        metadata.OnnxValueType == OnnxValueType.ONNX_TYPE_TENSOR
            ? new(metadata.OnnxValueType, metadata.ElementDataType, metadata.Dimensions.Select(d => (long)d).ToArray())
            : new(metadata.OnnxValueType, TensorElementType.DataTypeMax, []);

    public static IReadOnlyDictionary<string, OnnxTensorInfo> From(IReadOnlyDictionary<string, NodeMetadata> metadata) =>
        metadata.ToDictionary(kv => kv.Key, kv => From(kv.Value));

    public string DimsText => "[" + string.Join(", ", Dims.Select(d => d < 0 ? "?" : d.ToString(System.Globalization.CultureInfo.InvariantCulture))) + "]";
}
