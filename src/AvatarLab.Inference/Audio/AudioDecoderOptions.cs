namespace AvatarLab.Inference.Audio;

/// <summary>How <see cref="AudioDecoder"/> finds and runs ffmpeg for formats other than WAV.</summary>
public sealed class AudioDecoderOptions
{
    /// <summary>Path of the ffmpeg executable; null or empty searches PATH for <c>ffmpeg</c>.</summary>
    public string? FfmpegPath { get; init; }

    /// <summary>
    /// Longest an ffmpeg decode may run before it is stopped. Decoding the longest accepted
    /// upload (minutes of audio) takes seconds, so reaching this means a hung process.
    /// </summary>
    public TimeSpan FfmpegTimeout { get; init; } = TimeSpan.FromMinutes(2);
}
