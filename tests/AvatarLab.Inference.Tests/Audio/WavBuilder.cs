using System.Buffers.Binary;
using System.Text;

namespace AvatarLab.Inference.Tests.Audio;

/// <summary>Builds WAV files byte by byte, including the unusual and the broken ones.</summary>
internal sealed class WavBuilder
{
    public string RiffId { get; init; } = "RIFF";
    public ushort FormatTag { get; init; } = 1;
    public int Channels { get; init; } = 1;
    public uint SampleRate { get; init; } = 16000;
    public int BitsPerSample { get; init; } = 16;
    public int? BlockAlign { get; init; }
    public bool Extensible { get; init; }
    public ushort ExtensibleSubFormat { get; init; } = 1;
    public byte[] Data { get; init; } = [];
    public uint? DataSizeField { get; init; }
    public bool DataBeforeFmt { get; init; }

    /// <summary>Chunks written between the RIFF header and 'fmt ' (id, body; odd bodies get a pad byte).</summary>
    public List<(string Id, byte[] Body)> LeadingChunks { get; init; } = [];

    /// <summary>Chunks written after 'data'.</summary>
    public List<(string Id, byte[] Body)> TrailingChunks { get; init; } = [];

    /// <summary>Drops this many bytes from the end of the file.</summary>
    public int TruncateBy { get; init; }

    public byte[] ToBytes()
    {
        using var body = new MemoryStream();
        var isRf64 = RiffId == "RF64";
        if (isRf64)
        {
            var ds64 = new byte[28];
            BinaryPrimitives.WriteUInt64LittleEndian(ds64.AsSpan(8), (ulong)Data.Length);
            WriteChunk(body, "ds64", ds64);
        }

        foreach (var (id, chunk) in LeadingChunks)
        {
            WriteChunk(body, id, chunk);
        }

        if (DataBeforeFmt)
        {
            WriteData(body, isRf64);
            WriteChunk(body, "fmt ", Fmt());
        }
        else
        {
            WriteChunk(body, "fmt ", Fmt());
            WriteData(body, isRf64);
        }

        foreach (var (id, chunk) in TrailingChunks)
        {
            WriteChunk(body, id, chunk);
        }

        using var file = new MemoryStream();
        file.Write(Encoding.ASCII.GetBytes(RiffId));
        Span<byte> size = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(size, isRf64 ? uint.MaxValue : (uint)(body.Length + 4));
        file.Write(size);
        file.Write("WAVE"u8);
        body.WriteTo(file);
        var bytes = file.ToArray();
        return bytes[..(bytes.Length - TruncateBy)];
    }

    public MemoryStream ToStream() => new(ToBytes());

    private void WriteData(MemoryStream body, bool isRf64)
    {
        var sizeField = DataSizeField ?? (isRf64 ? uint.MaxValue : (uint)Data.Length);
        WriteChunk(body, "data", Data, sizeField);
    }

    private byte[] Fmt()
    {
        var blockAlign = BlockAlign ?? Channels * BitsPerSample / 8;
        var fmt = new byte[Extensible ? 40 : 16];
        BinaryPrimitives.WriteUInt16LittleEndian(fmt, Extensible ? (ushort)0xFFFE : FormatTag);
        BinaryPrimitives.WriteUInt16LittleEndian(fmt.AsSpan(2), (ushort)Channels);
        BinaryPrimitives.WriteUInt32LittleEndian(fmt.AsSpan(4), SampleRate);
        BinaryPrimitives.WriteUInt32LittleEndian(fmt.AsSpan(8), (uint)(SampleRate * blockAlign));
        BinaryPrimitives.WriteUInt16LittleEndian(fmt.AsSpan(12), (ushort)blockAlign);
        BinaryPrimitives.WriteUInt16LittleEndian(fmt.AsSpan(14), (ushort)BitsPerSample);
        if (Extensible)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(fmt.AsSpan(16), 22);
            BinaryPrimitives.WriteUInt16LittleEndian(fmt.AsSpan(18), (ushort)BitsPerSample);
            BinaryPrimitives.WriteUInt32LittleEndian(fmt.AsSpan(20), 0x3);
            BinaryPrimitives.WriteUInt32LittleEndian(fmt.AsSpan(24), ExtensibleSubFormat);
            byte[] tail = [0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71];
            tail.CopyTo(fmt.AsSpan(28));
        }

        return fmt;
    }

    private static void WriteChunk(MemoryStream stream, string id, byte[] body, uint? sizeField = null)
    {
        stream.Write(Encoding.ASCII.GetBytes(id));
        Span<byte> size = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(size, sizeField ?? (uint)body.Length);
        stream.Write(size);
        stream.Write(body);
        if (body.Length % 2 == 1)
        {
            stream.WriteByte(0);
        }
    }

    /// <summary>Interleaved 16-bit PCM of per-channel sample arrays in [-1, 1].</summary>
    public static byte[] Pcm16(params float[][] channels)
    {
        var frames = channels[0].Length;
        var bytes = new byte[frames * channels.Length * 2];
        for (var f = 0; f < frames; f++)
        {
            for (var c = 0; c < channels.Length; c++)
            {
                var value = (short)Math.Clamp(Math.Round(channels[c][f] * 32768.0), short.MinValue, short.MaxValue);
                BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan((f * channels.Length + c) * 2), value);
            }
        }

        return bytes;
    }
}
