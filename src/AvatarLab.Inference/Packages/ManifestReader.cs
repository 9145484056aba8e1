using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace AvatarLab.Inference.Packages;

/// <summary>
/// Reads and validates <c>avatarlab-model.json</c>. Every problem is a
/// <see cref="ModelPackageException"/> whose message names the JSON path at fault, e.g.
/// <c>avatarlab-model.json: missing required field 'window.blockFrames'</c>.
/// </summary>
public static class ManifestReader
{
    // Strict JSON (no comments, no trailing commas): the contract says JSON, and other tools
    // (Python's json) read the same file. Unknown fields are skipped, as the contract asks.
    internal static readonly JsonSerializerOptions JsonOptions = CreateOptions();

    /// <summary>Reads and validates the manifest file at <paramref name="path"/>.</summary>
    /// <exception cref="ModelPackageException">The file is missing, not JSON, or breaks the contract.</exception>
    public static ModelManifest Read(string path)
    {
        byte[] utf8;
        try
        {
            utf8 = File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new ModelPackageException(ModelPackageFiles.Manifest,
                "not found: a model package needs its manifest at the package root", innerException: ex);
        }

        return Parse(utf8);
    }

    /// <summary>Parses and validates manifest JSON (UTF-8).</summary>
    /// <exception cref="ModelPackageException">Not JSON, or breaks the contract.</exception>
    public static ModelManifest Parse(ReadOnlySpan<byte> utf8Json)
    {
        using var document = ParseDocument(utf8Json);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw Error($"the manifest must be a JSON object, not {root.ValueKind}");
        }

        ManifestRequiredFields.Check(root, JsonOptions.GetTypeInfo(typeof(ModelManifest)));
        ModelManifest manifest;
        try
        {
            manifest = root.Deserialize<ModelManifest>(JsonOptions)
                ?? throw Error("the manifest is null");
        }
        catch (JsonException ex)
        {
            var path = ManifestPath(ex.Path);
            var reason = ex.Message.Split(" Path:", 2)[0];
            throw new ModelPackageException(ModelPackageFiles.Manifest,
                $"field '{path}' has a value of the wrong type: {reason}", innerException: ex);
        }

        ManifestValidator.Validate(manifest, root);
        return manifest;
    }

    /// <summary>Parses and validates manifest JSON text.</summary>
    /// <exception cref="ModelPackageException">Not JSON, or breaks the contract.</exception>
    public static ModelManifest Parse(string json) => Parse(System.Text.Encoding.UTF8.GetBytes(json));

    internal static ModelPackageException Error(string detail) => new(ModelPackageFiles.Manifest, detail);

    private static JsonDocument ParseDocument(ReadOnlySpan<byte> utf8Json)
    {
        var reader = new Utf8JsonReader(utf8Json);
        try
        {
            return JsonDocument.ParseValue(ref reader);
        }
        catch (JsonException ex)
        {
            var at = ex.LineNumber is { } line ? $" at line {line + 1}, position {ex.BytePositionInLine + 1}" : "";
            throw new ModelPackageException(ModelPackageFiles.Manifest,
                $"invalid JSON{at}: {ex.Message.Split(" LineNumber:", 2)[0]}", innerException: ex);
        }
    }

    // "$.window.blockFrames" -> "window.blockFrames"
    private static string ManifestPath(string? jsonPath) =>
        string.IsNullOrEmpty(jsonPath) || jsonPath == "$" ? "(root)" : jsonPath.TrimStart('$', '.');

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            PropertyNameCaseInsensitive = false,
            NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.Strict,
            RespectNullableAnnotations = true,
            TypeInfoResolver = new DefaultJsonTypeInfoResolver(),
        };
        options.MakeReadOnly();
        return options;
    }
}
