namespace AvatarLab.Inference.Motion;

/// <summary>
/// A motion track file that cannot be read; the message names the file and the place (line
/// and column for CSV, JSON path for JSON) and what is wrong there. A <see cref="FormatException"/>
/// like <see cref="Audio.AudioFormatException"/>.
/// </summary>
public sealed class MotionTrackFormatException : FormatException
{
    public MotionTrackFormatException(string message)
        : base(message)
    {
    }

    public MotionTrackFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
