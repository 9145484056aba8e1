using System.Buffers.Binary;

namespace AvatarLab.Inference.Audio;

/// <summary>Converts whole frames of a WAV data chunk to mono floats (channel average).</summary>
internal static class WavSampleDecoder
{
    /// <summary>
    /// Decodes <c>bytes.Length / format.BlockAlign</c> frames into <paramref name="mono"/>.
    /// Integers are scaled by 1 / 2^(bits-1) (so 16-bit -32768 maps to exactly -1, as
    /// numpy's <c>int16 / 32768.0</c> in the training code); float samples are kept as they are.
    /// The average is taken in double, so mono input converts exactly.
    /// </summary>
    public static void Decode(ReadOnlySpan<byte> bytes, WavFormat format, Span<float> mono)
    {
        var channels = format.Channels;
        var size = format.BytesPerSample;
        var frames = bytes.Length / format.BlockAlign;
        var scale = Scale(format.Encoding) / channels;
        for (var f = 0; f < frames; f++)
        {
            var frame = bytes.Slice(f * format.BlockAlign, format.BlockAlign);
            var sum = 0.0;
            for (var c = 0; c < channels; c++)
            {
                sum += ReadSample(frame.Slice(c * size, size), format.Encoding);
            }

            mono[f] = (float)(sum * scale);
        }
    }

    private static double Scale(WavSampleEncoding encoding) => encoding switch
    {
        WavSampleEncoding.UInt8 => 1.0 / 128,
        WavSampleEncoding.Int16 => 1.0 / 32768,
        WavSampleEncoding.Int24 => 1.0 / 8388608,
        WavSampleEncoding.Int32 => 1.0 / 2147483648,
        _ => 1.0,
    };

    private static double ReadSample(ReadOnlySpan<byte> s, WavSampleEncoding encoding) => encoding switch
    {
        WavSampleEncoding.UInt8 => s[0] - 128,
        WavSampleEncoding.Int16 => BinaryPrimitives.ReadInt16LittleEndian(s),
        // Sign-extend by placing the 3 bytes in the top of an int and shifting back.
        WavSampleEncoding.Int24 => (s[0] << 8 | s[1] << 16 | s[2] << 24) >> 8,
        WavSampleEncoding.Int32 => BinaryPrimitives.ReadInt32LittleEndian(s),
        WavSampleEncoding.Float32 => BinaryPrimitives.ReadSingleLittleEndian(s),
        WavSampleEncoding.Float64 => BinaryPrimitives.ReadDoubleLittleEndian(s),
        _ => throw new InvalidOperationException($"unhandled encoding {encoding}"),
    };
}
