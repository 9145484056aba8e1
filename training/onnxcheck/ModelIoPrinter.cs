using Microsoft.ML.OnnxRuntime;

namespace AvatarLab.OnnxCheck;

/// <summary>Lists a model's inputs and outputs (--print-io), to compare with the package contract.</summary>
internal static class ModelIoPrinter
{
    public static void Print(DenoiserSession session, TextWriter output)
    {
        output.WriteLine($"model {session.ModelPath}");
        PrintGroup("inputs", session.Inputs, output);
        PrintGroup("outputs", session.Outputs, output);
    }

    private static void PrintGroup(string title, IReadOnlyDictionary<string, NodeMetadata> nodes, TextWriter output)
    {
        output.WriteLine($"{title}:");
        var width = nodes.Keys.Select(name => name.Length).DefaultIfEmpty(0).Max();
        foreach (var (name, metadata) in nodes)
        {
            var description = metadata.IsTensor
                ? $"{TextFormat.ElementType(metadata.ElementDataType),-8} {TextFormat.DeclaredShape(metadata)}"
                : metadata.OnnxValueType.ToString();
            output.WriteLine($"  {name.PadRight(width)}  {description}");
        }
    }
}
