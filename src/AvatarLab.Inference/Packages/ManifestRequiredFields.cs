using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace AvatarLab.Inference.Packages;

/// <summary>
/// Finds the first missing required manifest field and names it by its JSON path. The
/// serializer would report only the enclosing object, so this walks the document against
/// the records' own contract metadata (the C# <c>required</c> members), which keeps one
/// source of truth for what is required.
/// </summary>
internal static class ManifestRequiredFields
{
    public static void Check(JsonElement element, JsonTypeInfo typeInfo, string prefix = "")
    {
        foreach (var property in typeInfo.Properties)
        {
            var path = prefix + property.Name;
            if (!element.TryGetProperty(property.Name, out var value) || value.ValueKind == JsonValueKind.Null)
            {
                if (property.IsRequired)
                {
                    throw Missing(path);
                }

                continue;
            }

            if (IsSpecRecord(property.PropertyType) && value.ValueKind == JsonValueKind.Object)
            {
                Check(value, typeInfo.Options.GetTypeInfo(property.PropertyType), path + ".");
            }
        }
    }

    /// <summary>Requires a field that only some variants need (e.g. <c>features.audio.melBins</c> for logmel).</summary>
    public static void Require(JsonElement root, string path, string because)
    {
        var element = root;
        foreach (var name in path.Split('.'))
        {
            if (element.ValueKind != JsonValueKind.Object
                || !element.TryGetProperty(name, out element)
                || element.ValueKind == JsonValueKind.Null)
            {
                throw Missing(path, because);
            }
        }
    }

    private static ModelPackageException Missing(string path, string? because = null) =>
        ManifestReader.Error($"missing required field '{path}'" + (because is null ? "" : $" ({because})"));

    private static bool IsSpecRecord(Type type) =>
        type.IsClass && type.Namespace == typeof(ModelManifest).Namespace;
}
