namespace AvatarLab.Inference.Audio;

/// <summary>
/// An audio file that cannot be decoded: not a format the engine reads, damaged, too long, or
/// a compressed format without ffmpeg. The message names the file and says what to do.
/// A <see cref="FormatException"/>, like <see cref="Motion.MotionTrackFormatException"/>, so that
/// a caller turning bad uploads into a 400 can catch both at once.
/// </summary>
public sealed class AudioFormatException : FormatException
{
    public AudioFormatException(string message)
        : base(message)
    {
    }

    public AudioFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
