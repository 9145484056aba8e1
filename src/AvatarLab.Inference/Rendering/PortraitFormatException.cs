namespace AvatarLab.Inference.Rendering;

/// <summary>A portrait image that cannot be read: corrupt, empty or not PNG/JPEG.</summary>
public sealed class PortraitFormatException : Exception
{
    public PortraitFormatException(string message)
        : base(message)
    {
    }

    public PortraitFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
