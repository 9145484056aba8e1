using System.Buffers.Binary;

namespace AvatarLab.Inference.Audio;

/// <summary>The parsed <c>fmt </c> chunk of a WAV file, reduced to what decoding needs.</summary>
internal sealed record WavFormat(WavSampleEncoding Encoding, int Channels, int SampleRate, int BitsPerSample, int BlockAlign)
{
    private const ushort TagPcm = 0x0001;
    private const ushort TagFloat = 0x0003;
    private const ushort TagExtensible = 0xFFFE;

    // Sample rates outside this range are a damaged header rather than audio: telephony
    // goes down to 8 kHz (1 kHz leaves room for odd sensors), studio up to 768 kHz.
    internal const int MinSampleRate = 1000;
    internal const int MaxSampleRate = 768_000;

    // Bytes 4..15 of every KSDATAFORMAT_SUBTYPE_* GUID for classic format tags
    // (xxxxxxxx-0000-0010-8000-00aa00389b71); bytes 0..3 hold the tag.
    private static ReadOnlySpan<byte> SubFormatTail => [0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71];

    /// <summary>Bytes per sample of one channel.</summary>
    public int BytesPerSample => BitsPerSample / 8;

    /// <summary>A short description such as <c>PCM 16-bit, 2 ch, 44100 Hz</c>.</summary>
    public string Describe()
    {
        var kind = Encoding is WavSampleEncoding.Float32 or WavSampleEncoding.Float64 ? "float" : "PCM";
        return $"{kind} {BitsPerSample}-bit, {Channels} ch, {SampleRate} Hz";
    }

    /// <summary>Parses a fmt chunk body; throws <see cref="FormatException"/> with the problem.</summary>
    public static WavFormat Parse(ReadOnlySpan<byte> fmt)
    {
        if (fmt.Length < 16)
        {
            throw new FormatException($"'fmt ' chunk is {fmt.Length} bytes, at least 16 needed");
        }

        var tag = BinaryPrimitives.ReadUInt16LittleEndian(fmt);
        int channels = BinaryPrimitives.ReadUInt16LittleEndian(fmt[2..]);
        var sampleRate = BinaryPrimitives.ReadUInt32LittleEndian(fmt[4..]);
        int blockAlign = BinaryPrimitives.ReadUInt16LittleEndian(fmt[12..]);
        int bits = BinaryPrimitives.ReadUInt16LittleEndian(fmt[14..]);

        if (tag == TagExtensible)
        {
            tag = ParseExtensibleTag(fmt);
        }

        if (tag is not (TagPcm or TagFloat))
        {
            throw new FormatException(
                $"unsupported format tag 0x{tag:X4} ({TagName(tag)}); supported: PCM integer 8/16/24/32-bit and IEEE float 32/64-bit " +
                "(convert with: ffmpeg -i in.wav -c:a pcm_s16le out.wav)");
        }

        if (channels == 0)
        {
            throw new FormatException("header declares zero channels");
        }

        if (sampleRate is < MinSampleRate or > MaxSampleRate)
        {
            throw new FormatException($"absurd sample rate {sampleRate} Hz (expected {MinSampleRate}..{MaxSampleRate})");
        }

        var encoding = (tag, bits) switch
        {
            (TagPcm, 8) => WavSampleEncoding.UInt8,
            (TagPcm, 16) => WavSampleEncoding.Int16,
            (TagPcm, 24) => WavSampleEncoding.Int24,
            (TagPcm, 32) => WavSampleEncoding.Int32,
            (TagFloat, 32) => WavSampleEncoding.Float32,
            (TagFloat, 64) => WavSampleEncoding.Float64,
            (TagPcm, _) => throw new FormatException($"unsupported PCM sample size {bits} bits (supported: 8, 16, 24, 32)"),
            _ => throw new FormatException($"unsupported float sample size {bits} bits (supported: 32, 64)"),
        };

        var expectedAlign = channels * (bits / 8);
        if (blockAlign != expectedAlign)
        {
            throw new FormatException($"block align {blockAlign} does not match {channels} channel(s) of {bits / 8} bytes");
        }

        return new WavFormat(encoding, channels, (int)sampleRate, bits, blockAlign);
    }

    private static ushort ParseExtensibleTag(ReadOnlySpan<byte> fmt)
    {
        // WAVE_FORMAT_EXTENSIBLE: cbSize (2), valid bits (2), channel mask (4), sub-format GUID (16).
        // Valid bits may be fewer than the container's; samples are left-justified, so decoding
        // by container size is right. The channel mask does not matter for a mono downmix.
        if (fmt.Length < 40)
        {
            throw new FormatException($"WAVE_FORMAT_EXTENSIBLE 'fmt ' chunk is {fmt.Length} bytes, 40 needed");
        }

        var subFormat = fmt.Slice(24, 16);
        if (!subFormat[4..].SequenceEqual(SubFormatTail))
        {
            throw new FormatException($"unsupported WAVE_FORMAT_EXTENSIBLE sub-format {new Guid(subFormat)}");
        }

        var tag = BinaryPrimitives.ReadUInt32LittleEndian(subFormat);
        return tag <= ushort.MaxValue
            ? (ushort)tag
            : throw new FormatException($"unsupported WAVE_FORMAT_EXTENSIBLE sub-format {new Guid(subFormat)}");
    }

    private static string TagName(ushort tag) => tag switch
    {
        0x0002 => "Microsoft ADPCM",
        0x0006 => "A-law",
        0x0007 => "mu-law",
        0x0011 => "IMA ADPCM",
        0x0031 => "GSM 6.10",
        0x0050 => "MPEG audio",
        0x0055 => "MPEG Layer 3",
        0x00FF => "AAC",
        0x2000 => "Dolby AC-3",
        _ => "unknown codec",
    };
}
