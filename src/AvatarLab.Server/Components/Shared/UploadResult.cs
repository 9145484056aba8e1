using System.Text.Json;

namespace AvatarLab.Server.Components.Shared;

/// <summary>What upload.js hands back: the HTTP status and the response body.</summary>
public sealed record UploadResult(int Status, string Body)
{
    /// <summary>The API's one-line error, or a description of the status.</summary>
    public static string ErrorOf(UploadResult result)
    {
        try
        {
            using var doc = JsonDocument.Parse(result.Body);
            if (doc.RootElement.TryGetProperty("error", out var error))
            {
                return error.GetString() ?? $"HTTP {result.Status}";
            }
        }
        catch (JsonException)
        {
            // Not the API's JSON (a proxy's page, say): fall through to the status.
        }

        return result.Status == 0 ? "The upload was interrupted." : $"The server answered HTTP {result.Status}.";
    }
}
