using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace AvatarLab.Inference.Packages;

/// <summary>
/// Checks the inputs and outputs an ONNX file declares against the contract's tables
/// (<see cref="ContractTables"/>): names, element types, ranks and the sizes the manifest
/// or the contract fix. Symbolic sizes pass. Extra outputs are allowed (the engine does not
/// request them); extra inputs are not (the engine could not feed them).
/// </summary>
internal static class SessionValidator
{
    /// <summary>Validates one file and returns the names of the optional outputs it has.</summary>
    public static IReadOnlySet<string> Validate(
        string file,
        IReadOnlyDictionary<string, OnnxTensorInfo> inputs,
        IReadOnlyDictionary<string, OnnxTensorInfo> outputs,
        (IReadOnlyList<TensorRule> Inputs, IReadOnlyList<TensorRule> Outputs) rules,
        IReadOnlySet<string>? otherAllowedInputs = null)
    {
        foreach (var name in inputs.Keys)
        {
            if (!rules.Inputs.Any(r => r.Name == name) && otherAllowedInputs?.Contains(name) != true)
            {
                throw new ModelPackageException(file,
                    $"has input '{name}' that the contract does not define; the engine cannot feed it "
                    + $"(inputs: {string.Join(", ", rules.Inputs.Select(r => r.Name))})", name);
            }
        }

        Check(file, "input", inputs, rules.Inputs);
        Check(file, "output", outputs, rules.Outputs);
        return rules.Outputs.Where(r => r.Optional && outputs.ContainsKey(r.Name)).Select(r => r.Name).ToHashSet();
    }

    /// <summary>
    /// Checks that a renderer input fed from an identity-encoder output of the same name
    /// agrees with it in element type, rank and every size both files fix.
    /// </summary>
    public static void CheckSameTensor(string file, string name, OnnxTensorInfo input, string sourceFile, OnnxTensorInfo output)
    {
        var same = input.ValueType == output.ValueType
            && input.ElementType == output.ElementType
            && input.Dims.Count == output.Dims.Count
            && input.Dims.Zip(output.Dims).All(p => p.First < 0 || p.Second < 0 || p.First == p.Second);
        if (!same)
        {
            throw new ModelPackageException(file,
                $"input '{name}' is {Describe(input)} but {sourceFile} outputs '{name}' as {Describe(output)}", name);
        }
    }

    private static void Check(string file, string direction, IReadOnlyDictionary<string, OnnxTensorInfo> actual, IReadOnlyList<TensorRule> rules)
    {
        foreach (var rule in rules)
        {
            if (!actual.TryGetValue(rule.Name, out var info))
            {
                if (rule.Optional)
                {
                    continue;
                }

                throw new ModelPackageException(file,
                    $"missing {direction} '{rule.Name}' ({TypeName(rule.ElementType)} {rule.ShapeText}) that the contract requires", rule.Name);
            }

            CheckTensor(file, direction, rule, info, direction == "input");
        }
    }

    private static void CheckTensor(string file, string direction, TensorRule rule, OnnxTensorInfo info, bool isInput)
    {
        var what = $"{direction} '{rule.Name}'";
        if (info.ValueType != OnnxValueType.ONNX_TYPE_TENSOR)
        {
            throw new ModelPackageException(file, $"{what} is {info.ValueType}, not a tensor", rule.Name);
        }

        if (info.ElementType != rule.ElementType)
        {
            throw new ModelPackageException(file,
                $"{what} has element type {TypeName(info.ElementType)} but the contract says {TypeName(rule.ElementType)}", rule.Name);
        }

        if (info.Dims.Count != rule.Dims.Count)
        {
            throw new ModelPackageException(file,
                $"{what} has rank {info.Dims.Count} ({info.DimsText}) but the contract says rank {rule.Dims.Count} {rule.ShapeText}", rule.Name);
        }

        for (var axis = 0; axis < rule.Dims.Count; axis++)
        {
            var dim = rule.Dims[axis];
            var size = info.Dims[axis];
            if (size < 0)
            {
                continue;
            }

            var shape = $"{what} has shape {rule.ShapeText} = {info.DimsText}";
            switch (dim.Kind)
            {
                case DimKind.Manifest when size != dim.Value:
                    throw new ModelPackageException(file, $"{shape} but the manifest says {dim.Source} {dim.Value}", rule.Name);
                case DimKind.Contract when size != dim.Value:
                    throw new ModelPackageException(file, $"{shape} but the contract fixes axis {axis} to {dim.Value}", rule.Name);
                case DimKind.Dynamic when isInput:
                    throw new ModelPackageException(file,
                        $"{shape} but {dim.Label} must be a dynamic axis: the engine varies it from call to call", rule.Name);
            }
        }
    }

    private static string Describe(OnnxTensorInfo info) =>
        info.ValueType == OnnxValueType.ONNX_TYPE_TENSOR ? $"{TypeName(info.ElementType)} {info.DimsText}" : info.ValueType.ToString();

    private static string TypeName(TensorElementType type) => type switch
    {
        TensorElementType.Float => "float32",
        TensorElementType.Float16 => "float16",
        TensorElementType.Double => "float64",
        TensorElementType.Int64 => "int64",
        TensorElementType.Int32 => "int32",
        _ => type.ToString(),
    };
}
