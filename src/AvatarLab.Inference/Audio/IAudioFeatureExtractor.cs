namespace AvatarLab.Inference.Audio;

/// <summary>
/// Turns mono audio at the model's sample rate into per-video-frame features: the built-in
/// <see cref="LogMel"/> or a package's <see cref="OnnxAudioEncoder"/>.
/// </summary>
public interface IAudioFeatureExtractor
{
    /// <summary>Feature values per video frame.</summary>
    int FeatureDim { get; }

    /// <summary>
    /// Features of whole video frames, row-major [frames, <see cref="FeatureDim"/>]; a trailing
    /// partial frame of audio is dropped.
    /// </summary>
    /// <param name="audio16k">Mono audio at the model's sample rate (16 kHz for the built-in features).</param>
    float[] Compute(ReadOnlySpan<float> audio16k);
}
