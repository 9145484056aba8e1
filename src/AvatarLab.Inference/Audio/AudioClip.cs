namespace AvatarLab.Inference.Audio;

/// <summary>Decoded mono audio.</summary>
/// <param name="Samples">Mono samples, nominally in [-1, 1] (float sources may exceed it).</param>
/// <param name="SampleRate">Samples per second of <paramref name="Samples"/>.</param>
/// <param name="Duration">Length of <paramref name="Samples"/> at <paramref name="SampleRate"/>.</param>
/// <param name="SourceFormat">
/// What the file held, for logs and the UI, e.g. <c>WAV PCM 16-bit, 2 ch, 44100 Hz</c> or
/// <c>MP3 (ffmpeg)</c>.
/// </param>
public sealed record AudioClip(float[] Samples, int SampleRate, TimeSpan Duration, string SourceFormat)
{
    /// <summary>Wraps samples, computing <see cref="Duration"/> from their count and rate.</summary>
    public static AudioClip FromSamples(float[] samples, int sampleRate, string sourceFormat)
    {
        ArgumentNullException.ThrowIfNull(samples);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sampleRate);
        return new AudioClip(samples, sampleRate, TimeSpan.FromSeconds((double)samples.Length / sampleRate), sourceFormat);
    }
}
