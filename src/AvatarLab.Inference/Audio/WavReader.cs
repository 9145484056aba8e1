using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace AvatarLab.Inference.Audio;

/// <summary>
/// Reads RIFF/WAVE and RF64 files holding PCM integer (8/16/24/32-bit) or IEEE float (32/64-bit)
/// samples, plain or as WAVE_FORMAT_EXTENSIBLE, at any sample rate and channel count, and
/// returns them downmixed to mono (channel average) at the file's own rate. Chunks other than
/// <c>fmt </c>, <c>data</c> and <c>ds64</c> (LIST, fact, cue, ...) are skipped, honouring the
/// pad byte after odd-sized chunks. Every problem is an <see cref="AudioFormatException"/>
/// naming the file.
/// </summary>
public static class WavReader
{
    // A 'fmt ' chunk is 16, 18 or 40 bytes; anything this large is a damaged header.
    private const int MaxFmtChunkBytes = 64 * 1024;

    // Data is read and converted in blocks of about this size rather than all at once.
    private const int ReadBlockBytes = 64 * 1024;

    /// <summary>Reads a WAV file.</summary>
    /// <param name="path">The file.</param>
    /// <param name="maxSeconds">Longest audio accepted; a longer file is an error before its data is read.</param>
    public static AudioClip Read(string path, double maxSeconds)
    {
        FileStream stream;
        try
        {
            stream = File.OpenRead(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new AudioFormatException($"cannot read '{Path.GetFileName(path)}': {ex.Message}", ex);
        }

        using (stream)
        {
            return Read(stream, Path.GetFileName(path), maxSeconds);
        }
    }

    /// <summary>Reads WAV data from a seekable stream.</summary>
    /// <param name="stream">A seekable stream positioned at the RIFF header.</param>
    /// <param name="name">The name error messages use for the source, e.g. the file name.</param>
    /// <param name="maxSeconds">Longest audio accepted; a longer file is an error before its data is read.</param>
    public static AudioClip Read(Stream stream, string name, double maxSeconds)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxSeconds);
        if (!stream.CanSeek)
        {
            throw new ArgumentException("the WAV reader needs a seekable stream", nameof(stream));
        }

        try
        {
            return ReadCore(stream, maxSeconds);
        }
        catch (FormatException ex)
        {
            throw new AudioFormatException($"'{name}' is not a readable WAV file: {ex.Message}", ex);
        }
        catch (IOException ex)
        {
            throw new AudioFormatException($"cannot read '{name}': {ex.Message}", ex);
        }
    }

    private static AudioClip ReadCore(Stream stream, double maxSeconds)
    {
        var (format, dataOffset, dataBytes) = FindChunks(stream);

        var frames = dataBytes / format.BlockAlign;
        var seconds = (double)frames / format.SampleRate;
        if (seconds > maxSeconds)
        {
            throw new FormatException(string.Create(CultureInfo.InvariantCulture,
                $"it is {seconds:0.0} s long and the limit is {maxSeconds:0.#} s"));
        }

        if (frames > Array.MaxLength)
        {
            throw new FormatException($"{frames} frames do not fit in memory");
        }

        var mono = new float[frames];
        stream.Position = dataOffset;
        var framesPerBlock = Math.Max(1, ReadBlockBytes / format.BlockAlign);
        var buffer = new byte[framesPerBlock * format.BlockAlign];
        for (var done = 0L; done < frames;)
        {
            var count = (int)Math.Min(framesPerBlock, frames - done);
            var bytes = buffer.AsSpan(0, count * format.BlockAlign);
            stream.ReadExactly(bytes);
            WavSampleDecoder.Decode(bytes, format, mono.AsSpan((int)done, count));
            done += count;
        }

        return AudioClip.FromSamples(mono, format.SampleRate, $"WAV {format.Describe()}");
    }

    /// <summary>Walks the chunks; returns the format and where the sample data lies.</summary>
    private static (WavFormat Format, long DataOffset, long DataBytes) FindChunks(Stream stream)
    {
        var length = stream.Length - stream.Position;
        Span<byte> header = stackalloc byte[12];
        if (stream.ReadAtLeast(header, header.Length, throwOnEndOfStream: false) < header.Length)
        {
            throw new FormatException($"not a RIFF/WAVE file (only {length} bytes)");
        }

        var riff = Encoding.ASCII.GetString(header[..4]);
        var isRf64 = riff is "RF64" or "BW64";
        if (riff == "RIFX")
        {
            throw new FormatException("big-endian RIFX files are not supported (convert with: ffmpeg -i in.wav out.wav)");
        }

        if (riff != "RIFF" && !isRf64)
        {
            throw new FormatException($"not a RIFF/WAVE file (starts with {Printable(header[..4])})");
        }

        if (!header[8..12].SequenceEqual("WAVE"u8))
        {
            throw new FormatException($"RIFF file of type {Printable(header[8..12])}, not WAVE");
        }

        WavFormat? format = null;
        long? dataOffset = null;
        long dataBytes = 0;
        long? ds64DataBytes = null;
        Span<byte> chunkHeader = stackalloc byte[8];
        while (stream.ReadAtLeast(chunkHeader, 8, throwOnEndOfStream: false) == 8)
        {
            var id = Encoding.ASCII.GetString(chunkHeader[..4]);
            long size = BinaryPrimitives.ReadUInt32LittleEndian(chunkHeader[4..]);
            var start = stream.Position;
            var remaining = stream.Length - start;

            if (id == "data")
            {
                // RF64 keeps the real size in ds64; 0xFFFFFFFF in a plain RIFF file is what
                // streaming writers leave when they cannot seek back: the data runs to the end.
                if (size == uint.MaxValue)
                {
                    size = ds64DataBytes ?? remaining;
                }

                if (size > remaining)
                {
                    throw new FormatException($"truncated: the data chunk declares {size} bytes but the file ends after {remaining}");
                }

                (dataOffset, dataBytes) = (start, size);
                if (format is not null)
                {
                    break;
                }
            }
            else if (size > remaining)
            {
                if (dataOffset is not null && format is not null)
                {
                    break;
                }

                throw new FormatException($"truncated: chunk {Printable(chunkHeader[..4])} declares {size} bytes but the file ends after {remaining}");
            }
            else if (id == "fmt ")
            {
                if (size > MaxFmtChunkBytes)
                {
                    throw new FormatException($"'fmt ' chunk of {size} bytes is implausibly large");
                }

                var body = new byte[size];
                stream.ReadExactly(body);
                format = WavFormat.Parse(body);
            }
            else if (id == "ds64" && isRf64)
            {
                ds64DataBytes = ReadDs64DataSize(stream, size);
            }

            // Chunks are word-aligned: an odd-sized chunk is followed by a pad byte.
            stream.Position = start + size + (size & 1);
        }

        if (format is null)
        {
            throw new FormatException("no 'fmt ' chunk before the end of the file");
        }

        if (dataOffset is null)
        {
            throw new FormatException("no 'data' chunk");
        }

        return (format, dataOffset.Value, dataBytes);
    }

    private static long ReadDs64DataSize(Stream stream, long size)
    {
        // ds64: RIFF size (8), data size (8), sample count (8), table length (4), table.
        if (size < 16)
        {
            throw new FormatException($"'ds64' chunk is {size} bytes, at least 16 needed");
        }

        Span<byte> sizes = stackalloc byte[16];
        stream.ReadExactly(sizes);
        var dataSize = BinaryPrimitives.ReadUInt64LittleEndian(sizes[8..]);
        return dataSize <= long.MaxValue
            ? (long)dataSize
            : throw new FormatException($"'ds64' data size {dataSize} is implausible");
    }

    private static string Printable(ReadOnlySpan<byte> id)
    {
        foreach (var b in id)
        {
            if (b is < 0x20 or > 0x7E)
            {
                return "0x" + Convert.ToHexString(id);
            }
        }

        return $"'{Encoding.ASCII.GetString(id)}'";
    }
}
