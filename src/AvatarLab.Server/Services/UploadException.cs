namespace AvatarLab.Server.Services;

/// <summary>An upload that cannot be accepted; the message names the file and the problem and is shown as is.</summary>
public sealed class UploadException(string message, int statusCode = StatusCodes.Status400BadRequest) : Exception(message)
{
    /// <summary>400 for bad content, 413 for over-limit sizes, 415 for wrong formats.</summary>
    public int StatusCode { get; } = statusCode;
}
