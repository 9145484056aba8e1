using System.Text.Json;

namespace AvatarLab.Inference.Motion;

/// <summary>
/// The JSON form of a track:
/// <c>{"format":"face-params/1","fps":25,"channels":[...],"frames":[[...],...]}</c>, one inner
/// array per frame in the order of <c>channels</c>. Channels are matched by name like the CSV
/// columns; unknown fields are ignored.
/// </summary>
internal static class MotionTrackJson
{
    public const string Format = "face-params/1";

    private static readonly JsonDocumentOptions _options = new()
    {
        CommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    public static MotionTrack Read(Stream stream, string name, IReadOnlyList<string> channels)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(stream, _options);
        }
        catch (JsonException ex)
        {
            throw new MotionTrackFormatException($"'{name}' is not valid JSON: {ex.Message}", ex);
        }

        using (document)
        {
            return Read(document.RootElement, name, channels);
        }
    }

    private static MotionTrack Read(JsonElement root, string name, IReadOnlyList<string> channels)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw Error(name, "the top level must be an object");
        }

        var format = Required(root, "format", JsonValueKind.String, name).GetString();
        if (format != Format)
        {
            throw Error(name, $"format is '{format}', expected '{Format}'");
        }

        var fpsElement = Required(root, "fps", JsonValueKind.Number, name);
        var fps = fpsElement.GetDouble();
        if (!double.IsFinite(fps) || fps <= 0)
        {
            throw Error(name, $"fps must be positive, got {fpsElement.GetRawText()}");
        }

        var names = Required(root, "channels", JsonValueKind.Array, name).EnumerateArray()
            .Select((c, i) => c.ValueKind == JsonValueKind.String ? c.GetString()! : throw Error(name, $"channels[{i}] is not a string"))
            .ToArray();
        var columns = channels.Select(c => Array.FindIndex(names, n => n.Equals(c, StringComparison.OrdinalIgnoreCase))).ToArray();
        var missing = channels.Where((_, i) => columns[i] < 0).ToList();
        if (missing.Count > 0)
        {
            throw Error(name, $"channels lacks {string.Join(", ", missing)} (it lists {string.Join(", ", names)})");
        }

        var frames = Required(root, "frames", JsonValueKind.Array, name);
        var count = frames.GetArrayLength();
        if (count == 0)
        {
            throw Error(name, "frames is empty");
        }

        var values = new float[count * channels.Count];
        var f = 0;
        foreach (var frame in frames.EnumerateArray())
        {
            if (frame.ValueKind != JsonValueKind.Array || frame.GetArrayLength() != names.Length)
            {
                throw Error(name, $"frames[{f}] must be an array of {names.Length} numbers (one per channel)");
            }

            for (var c = 0; c < columns.Length; c++)
            {
                var cell = frame[columns[c]];
                if (cell.ValueKind != JsonValueKind.Number || !cell.TryGetSingle(out var value) || !float.IsFinite(value))
                {
                    throw Error(name, $"frames[{f}][{columns[c]}] ({names[columns[c]]}) is not a finite number: {cell.GetRawText()}");
                }

                values[f * channels.Count + c] = value;
            }

            f++;
        }

        return new MotionTrack(values, [.. channels], fps);
    }

    private static JsonElement Required(JsonElement root, string property, JsonValueKind kind, string name)
    {
        if (!root.TryGetProperty(property, out var element))
        {
            throw Error(name, $"required field '{property}' is missing");
        }

        return element.ValueKind == kind
            ? element
            : throw Error(name, $"'{property}' must be a {kind.ToString().ToLowerInvariant()}, got {element.ValueKind.ToString().ToLowerInvariant()}");
    }

    private static MotionTrackFormatException Error(string name, string problem) => new($"'{name}': {problem}");
}
