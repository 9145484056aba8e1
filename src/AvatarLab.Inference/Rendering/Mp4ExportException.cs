namespace AvatarLab.Inference.Rendering;

/// <summary>MP4 export failed: ffmpeg is missing, or it stopped with an error.</summary>
public sealed class Mp4ExportException : Exception
{
    public Mp4ExportException(string message)
        : base(message)
    {
    }

    public Mp4ExportException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
