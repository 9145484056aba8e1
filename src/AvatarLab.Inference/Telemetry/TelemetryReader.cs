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
                var size = ElementSize(a.Dtype, a.Name);
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

    /// <summary>
    /// Where each block's record sits in a seekable stream (byte offset from the stream's start
    /// and length, header JSON and arrays together), without decoding the arrays: an index
    /// for random access with <see cref="ReadBlockAt"/>.
    /// </summary>
    public IEnumerable<(BlockRecord Block, long Offset, int Length)> Index()
    {
        if (!_stream.CanSeek)
        {
            throw new InvalidOperationException("indexing telemetry needs a seekable stream");
        }

        while (true)
        {
            var offset = _stream.Position;
            if (ReadJson<BlockRecord>() is not { } record)
            {
                yield break;
            }

            long arrayBytes = 0;
            foreach (var a in record.Arrays)
            {
                arrayBytes += (long)a.Length * ElementSize(a.Dtype, a.Name);
            }

            var end = _stream.Position + arrayBytes;
            if (end > _stream.Length)
            {
                throw new InvalidDataException($"telemetry block {record.Block} ends before its arrays");
            }

            _stream.Position = end;
            yield return (record, offset, checked((int)(end - offset)));
        }
    }

    /// <summary>Reads the one block whose record starts at <paramref name="offset"/> (from <see cref="Index"/>).</summary>
    public (BlockRecord Block, IReadOnlyDictionary<string, float[]> Arrays) ReadBlockAt(long offset)
    {
        _stream.Position = offset;
        return Blocks().FirstOrDefault() is { Block: not null } found
            ? found
            : throw new InvalidDataException($"no telemetry block at offset {offset}");
    }

    private static int ElementSize(string dtype, string name) => dtype switch
    {
        "f4" => 4,
        "f2" => 2,
        _ => throw new InvalidDataException($"telemetry array '{name}' has unknown dtype '{dtype}'"),
    };

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
