using System.Buffers.Binary;
using System.Text.Json;

namespace AvatarLab.Inference.Telemetry;

/// <summary>
/// The compact serialization of a run's telemetry, "avatarlab-telemetry/1" (docs/telemetry.md):
/// the 8-byte magic <c>ALTEL001</c>, then length-prefixed records. Each record is a uint32
/// (little-endian) byte count of a UTF-8 JSON header, the header, and the raw little-endian
/// arrays it lists in order (<c>f4</c> float32 or <c>f2</c> float16, shapes row-major; the
/// float32 arrays come first). The
/// first record is the <see cref="TelemetryHeader"/>; every further record is one block.
/// Attention is stored as float16: 3 significant digits, plenty for weights in [0, 1].
/// </summary>
public static class TelemetryFormat
{
    public const string Name = "avatarlab-telemetry/1";

    internal static ReadOnlySpan<byte> Magic => "ALTEL001"u8;

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    internal static void WriteRecord(Stream stream, object header, IReadOnlyList<float[]> floats, IReadOnlyList<Half[]> halves)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(header, Json);
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(length, (uint)json.Length);
        stream.Write(length);
        stream.Write(json);
        foreach (var data in floats)
        {
            var bytes = new byte[data.Length * 4];
            for (var i = 0; i < data.Length; i++)
            {
                BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * 4), data[i]);
            }

            stream.Write(bytes);
        }

        foreach (var data in halves)
        {
            var bytes = new byte[data.Length * 2];
            for (var i = 0; i < data.Length; i++)
            {
                BinaryPrimitives.WriteHalfLittleEndian(bytes.AsSpan(i * 2), data[i]);
            }

            stream.Write(bytes);
        }
    }

    internal static byte[]? ReadExactly(Stream stream, int count)
    {
        var buffer = new byte[count];
        var read = 0;
        while (read < count)
        {
            var n = stream.Read(buffer, read, count - read);
            if (n == 0)
            {
                return read == 0 ? null : throw new InvalidDataException($"telemetry record truncated: {read} of {count} bytes");
            }

            read += n;
        }

        return buffer;
    }
}
