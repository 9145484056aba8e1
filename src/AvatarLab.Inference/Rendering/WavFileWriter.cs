using System.Buffers.Binary;

namespace AvatarLab.Inference.Rendering;

/// <summary>Writes mono float samples as a 16-bit PCM WAV file (what ffmpeg reads without probing).</summary>
internal static class WavFileWriter
{
    public static void Write(string path, ReadOnlySpan<float> samples, int sampleRate)
    {
        const int HeaderBytes = 44;
        var dataBytes = checked(samples.Length * 2);
        var bytes = new byte[HeaderBytes + dataBytes];
        var span = bytes.AsSpan();
        "RIFF"u8.CopyTo(span);
        BinaryPrimitives.WriteInt32LittleEndian(span[4..], 36 + dataBytes);
        "WAVEfmt "u8.CopyTo(span[8..]);
        BinaryPrimitives.WriteInt32LittleEndian(span[16..], 16);
        BinaryPrimitives.WriteInt16LittleEndian(span[20..], 1);
        BinaryPrimitives.WriteInt16LittleEndian(span[22..], 1);
        BinaryPrimitives.WriteInt32LittleEndian(span[24..], sampleRate);
        BinaryPrimitives.WriteInt32LittleEndian(span[28..], sampleRate * 2);
        BinaryPrimitives.WriteInt16LittleEndian(span[32..], 2);
        BinaryPrimitives.WriteInt16LittleEndian(span[34..], 16);
        "data"u8.CopyTo(span[36..]);
        BinaryPrimitives.WriteInt32LittleEndian(span[40..], dataBytes);
        for (var i = 0; i < samples.Length; i++)
        {
            var s = samples[i];
            var v = float.IsNaN(s) ? (short)0 : (short)Math.Clamp(MathF.Round(s * 32767f), -32768f, 32767f);
            BinaryPrimitives.WriteInt16LittleEndian(span[(HeaderBytes + (i * 2))..], v);
        }

        File.WriteAllBytes(path, bytes);
    }
}
