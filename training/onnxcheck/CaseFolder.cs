using System.Text.Json;

namespace AvatarLab.OnnxCheck;

/// <summary>
/// One case written by the Python exporter: <c>inputs/&lt;tensor&gt;.npy</c> for the model's
/// inputs and <c>expected/&lt;tensor&gt;.npy</c> for the outputs to compare.
/// </summary>
internal sealed record CaseFolder(string Name, string Directory)
{
    public string InputPath(string tensor) => Path.Combine(Directory, "inputs", tensor + ".npy");

    public string ExpectedPath(string tensor) => Path.Combine(Directory, "expected", tensor + ".npy");

    /// <summary>Names of the tensors in <c>inputs/</c>, sorted.</summary>
    public IReadOnlyList<string> InputNames() => TensorNames("inputs");

    /// <summary>Names of the tensors in <c>expected/</c>, sorted.</summary>
    public IReadOnlyList<string> ExpectedNames() => TensorNames("expected");

    private List<string> TensorNames(string subfolder)
    {
        var folder = Path.Combine(Directory, subfolder);
        if (!System.IO.Directory.Exists(folder))
        {
            throw new CheckInputException($"case '{Name}': missing folder '{folder}'");
        }

        return System.IO.Directory.EnumerateFiles(folder, "*.npy")
            .Select(Path.GetFileNameWithoutExtension)
            .OfType<string>()
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>Reads <c>cases.json</c> (<c>{"cases": ["case_000", ...]}</c>) from the cases folder.</summary>
    public static IReadOnlyList<CaseFolder> LoadAll(string casesDirectory)
    {
        var listPath = Path.Combine(casesDirectory, "cases.json");
        if (!File.Exists(listPath))
        {
            throw new CheckInputException($"missing file '{listPath}'");
        }

        List<CaseFolder> cases = [];
        foreach (var name in ReadCaseNames(listPath))
        {
            var directory = Path.Combine(casesDirectory, name);
            if (!System.IO.Directory.Exists(directory))
            {
                throw new CheckInputException($"'{listPath}' lists case '{name}', but folder '{directory}' does not exist");
            }

            cases.Add(new CaseFolder(name, directory));
        }

        return cases;
    }

    private static List<string> ReadCaseNames(string listPath)
    {
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(listPath));
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("cases", out var list)
                || list.ValueKind != JsonValueKind.Array)
            {
                throw new CheckInputException($"'{listPath}' must be an object with a \"cases\" array");
            }

            List<string> names = [];
            foreach (var element in list.EnumerateArray())
            {
                var name = element.ValueKind == JsonValueKind.String ? element.GetString() : null;
                if (string.IsNullOrWhiteSpace(name))
                {
                    throw new CheckInputException($"'{listPath}': every entry of \"cases\" must be a folder name, got {element.GetRawText()}");
                }

                names.Add(name);
            }

            if (names.Count == 0)
            {
                throw new CheckInputException($"'{listPath}': \"cases\" is empty");
            }

            return names;
        }
        catch (JsonException ex)
        {
            throw new CheckInputException($"'{listPath}' is not valid JSON: {ex.Message}");
        }
    }
}
