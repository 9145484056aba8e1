using System.Buffers.Binary;
using System.Text.Json;

namespace AvatarLab.Inference.Telemetry;

/// <summary>Reads avatarlab-telemetry/1 streams written by <see cref="TelemetryWriter"/>.</summary>
public sealed class TelemetryReader : IDisposable
{
    private readonly Stream _stream;

    public TelemetryReader(Stream stream)
    {
        _stream = stream;
        var magic = TelemetryFormat.ReadExactly(stream, 8);
        if (magic is null || !magic.AsSpan().SequenceEqual(TelemetryFormat.Magic))
        {
            throw new InvalidDataException($"not an {TelemetryFormat.Name} stream (bad magic)");
        }

        Header = ReadJson<TelemetryHeader>() ?? throw new InvalidDataException("telemetry stream has no header");
    }

    public TelemetryHeader Header { get; }

    /// <summary>Blocks in order, each with its arrays by name (float16 widened to float).</summary>
    public IEnumerable<(BlockRecord Block, IReadOnlyDictionary<string, float[]> Arrays)> Blocks()
    {
        while (ReadJson<BlockRecord>() is { } record)
        {
            var arrays = new Dictionary<string, float[]>();
            foreach (var a in record.Arrays)
            {
                var size = a.Dtype switch
                {
                    "f4" => 4,
                    "f2" => 2,
                    _ => throw new InvalidDataException($"telemetry array '{a.Name}' has unknown dtype '{a.Dtype}'"),
                };
                var bytes = TelemetryFormat.ReadExactly(_stream, a.Length * size)
                    ?? throw new InvalidDataException($"telemetry block {record.Block} ends before array '{a.Name}'");
                var values = new float[a.Length];
                for (var i = 0; i < values.Length; i++)
                {
                    values[i] = size == 4
                        ? BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(i * 4))
                        : (float)BinaryPrimitives.ReadHalfLittleEndian(bytes.AsSpan(i * 2));
                }

                arrays[a.Name] = values;
            }

            yield return (record, arrays);
        }
    }

    public void Dispose() => _stream.Dispose();

    private T? ReadJson<T>()
    {
        var length = TelemetryFormat.ReadExactly(_stream, 4);
        if (length is null)
        {
            return default;
        }

        var json = TelemetryFormat.ReadExactly(_stream, (int)BinaryPrimitives.ReadUInt32LittleEndian(length))
            ?? throw new InvalidDataException("telemetry record truncated");
        return JsonSerializer.Deserialize<T>(json, TelemetryFormat.Json);
    }
}
