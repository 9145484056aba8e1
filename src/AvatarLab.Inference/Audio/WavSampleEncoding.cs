namespace AvatarLab.Inference.Audio;

/// <summary>How one sample of one channel is stored in a WAV data chunk.</summary>
internal enum WavSampleEncoding
{
    /// <summary>8-bit unsigned integer, 128 = silence.</summary>
    UInt8,
    Int16,
    Int24,
    Int32,
    Float32,
    Float64,
}
