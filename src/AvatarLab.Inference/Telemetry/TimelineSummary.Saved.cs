using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace AvatarLab.Inference.Telemetry;

/// <summary>
/// The summary saved on its own ("avatarlab-timeline/1"), so that a timeline opens without
/// decoding every block of its telemetry again: a 10-minute run's telemetry is about 1,500
/// blocks and 100 MB, its summary about 1 MB. Layout: the 8-byte magic <c>ALTLS001</c>, a
/// uint32 (little-endian) byte count of a UTF-8 JSON record (header, frames, steps, blocks), the
/// record, then the per-frame arrays as raw little-endian float32 in the order of
/// <see cref="SavedArrays"/>, lengths from frames and steps.
/// </summary>
public sealed partial class TimelineSummary
{
    public const string SavedFormat = "avatarlab-timeline/1";

    private static ReadOnlySpan<byte> SavedMagic => "ALTLS001"u8;

    private TimelineSummary(TelemetryHeader header, IReadOnlyList<TimelineBlock> blocks, int frames, int steps,
        float[] schedule, float[] recent, float[] older, float[] cross, float[] effect)
    {
        Header = header;
        Blocks = blocks;
        Frames = frames;
        Steps = steps;
        Schedule = schedule;
        RecentSelfShare = recent;
        OlderSelfShare = older;
        CrossOffset = cross;
        GuidanceEffect = effect;
    }

    private IEnumerable<float[]> SavedArrays => [Schedule, RecentSelfShare, OlderSelfShare, CrossOffset, GuidanceEffect];

    /// <summary>Writes the summary in the <see cref="SavedFormat"/> layout (read back with <see cref="Load"/>).</summary>
    public void Save(Stream stream)
    {
        var record = JsonSerializer.SerializeToUtf8Bytes(new SavedRecord(SavedFormat, Header, Frames, Steps, Blocks), TelemetryFormat.Json);
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(length, (uint)record.Length);
        stream.Write(SavedMagic);
        stream.Write(length);
        stream.Write(record);
        foreach (var array in SavedArrays)
        {
            WriteFloats(stream, array);
        }
    }

    /// <summary>Reads a summary written by <see cref="Save"/>; a stream of another format or a truncated one is an <see cref="InvalidDataException"/>.</summary>
    public static TimelineSummary Load(Stream stream)
    {
        var magic = TelemetryFormat.ReadExactly(stream, 8);
        if (magic is null || !magic.AsSpan().SequenceEqual(SavedMagic))
        {
            throw new InvalidDataException($"not an {SavedFormat} file (bad magic)");
        }

        var length = TelemetryFormat.ReadExactly(stream, 4) ?? throw new InvalidDataException($"{SavedFormat} file ends before its record");
        var json = TelemetryFormat.ReadExactly(stream, checked((int)BinaryPrimitives.ReadUInt32LittleEndian(length)))
            ?? throw new InvalidDataException($"{SavedFormat} file ends inside its record");
        var record = JsonSerializer.Deserialize<SavedRecord>(json, TelemetryFormat.Json)
            ?? throw new InvalidDataException($"{SavedFormat} file has an empty record");
        if (record.Format != SavedFormat)
        {
            throw new InvalidDataException($"{SavedFormat} file holds format '{record.Format}'");
        }

        var frames = record.Frames;
        return new TimelineSummary(record.Header, record.Blocks, frames, record.Steps,
            ReadFloats(stream, frames * record.Steps), ReadFloats(stream, frames * Branches), ReadFloats(stream, frames * Branches),
            ReadFloats(stream, frames * Branches), ReadFloats(stream, frames * 2));
    }

    private static void WriteFloats(Stream stream, float[] values)
    {
        if (BitConverter.IsLittleEndian)
        {
            stream.Write(MemoryMarshal.AsBytes(values.AsSpan()));
            return;
        }

        var bytes = new byte[values.Length * 4];
        for (var i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * 4), values[i]);
        }

        stream.Write(bytes);
    }

    private static float[] ReadFloats(Stream stream, int count)
    {
        var bytes = count == 0 ? [] : TelemetryFormat.ReadExactly(stream, count * 4)
            ?? throw new InvalidDataException($"{SavedFormat} file ends before its arrays");
        var values = new float[count];
        if (BitConverter.IsLittleEndian)
        {
            bytes.AsSpan().CopyTo(MemoryMarshal.AsBytes(values.AsSpan()));
            return values;
        }

        for (var i = 0; i < count; i++)
        {
            values[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(i * 4));
        }

        return values;
    }

    private sealed record SavedRecord(string Format, TelemetryHeader Header, int Frames, int Steps, IReadOnlyList<TimelineBlock> Blocks);
}
