using System.Buffers.Binary;
using AvatarLab.Inference.Audio;
using AvatarLab.Inference.Tests.Support;

namespace AvatarLab.Inference.Tests.Audio;

public class WavReaderTests
{
    private static readonly float[] _ramp = [0f, 0.25f, -0.5f, 0.75f, -1f, 0.125f];

    [Fact]
    public void Read_Pcm16Mono_ReturnsSamplesOver32768Exactly()
    {
        var data = new byte[6];
        BinaryPrimitives.WriteInt16LittleEndian(data, -32768);
        BinaryPrimitives.WriteInt16LittleEndian(data.AsSpan(2), 1);
        BinaryPrimitives.WriteInt16LittleEndian(data.AsSpan(4), 32767);

        var clip = WavReader.Read(new WavBuilder { Data = data }.ToStream(), "a.wav", 10);

        Assert.Equal([-1f, 1f / 32768, 32767f / 32768], clip.Samples);
        Assert.Equal(16000, clip.SampleRate);
        Assert.Equal("WAV PCM 16-bit, 1 ch, 16000 Hz", clip.SourceFormat);
    }

    [Theory]
    [InlineData(1, 8, false)]
    [InlineData(1, 16, false)]
    [InlineData(1, 24, false)]
    [InlineData(1, 32, false)]
    [InlineData(3, 32, false)]
    [InlineData(3, 64, false)]
    [InlineData(1, 24, true)]
    [InlineData(3, 32, true)]
    public void Read_EachSampleFormat_DecodesWithinQuantisation(ushort tag, int bits, bool extensible)
    {
        var data = Encode(_ramp, tag, bits);
        var wav = new WavBuilder { FormatTag = tag, BitsPerSample = bits, Extensible = extensible, ExtensibleSubFormat = tag, Data = data, SampleRate = 44100 };

        var clip = WavReader.Read(wav.ToStream(), "a.wav", 10);

        // One quantisation step of the format (8-bit: 1/128); floats are exact.
        var tolerance = tag == 3 ? 0 : Math.Pow(2, 1 - bits);
        Assert.Equal(_ramp.Length, clip.Samples.Length);
        for (var i = 0; i < _ramp.Length; i++)
        {
            Assert.InRange(clip.Samples[i], _ramp[i] - tolerance, _ramp[i] + tolerance);
        }
    }

    [Fact]
    public void Read_Stereo_AveragesChannels()
    {
        var wav = new WavBuilder { Channels = 2, Data = WavBuilder.Pcm16([0.5f, -0.25f], [0.25f, 0.25f]) };

        var clip = WavReader.Read(wav.ToStream(), "a.wav", 10);

        Assert.Equal([0.375f, 0f], clip.Samples);
    }

    [Fact]
    public void Read_SixChannels_AveragesChannels()
    {
        float[][] channels = [[0.5f], [0.5f], [0.5f], [-0.5f], [0.25f], [0.25f]];
        var wav = new WavBuilder { Channels = 6, SampleRate = 48000, Data = WavBuilder.Pcm16(channels) };

        var clip = WavReader.Read(wav.ToStream(), "a.wav", 10);

        Assert.Equal(0.25f, clip.Samples[0], 6);
        Assert.Equal(48000, clip.SampleRate);
    }

    [Fact]
    public void Read_OddSizedChunksAroundData_SkipsThemWithPadding()
    {
        var wav = new WavBuilder
        {
            Data = WavBuilder.Pcm16(_ramp),
            LeadingChunks = [("LIST", [1, 2, 3, 4, 5]), ("junk", [9])],
            TrailingChunks = [("id3 ", [1, 2, 3])],
        };

        var clip = WavReader.Read(wav.ToStream(), "a.wav", 10);

        Assert.Equal(_ramp, clip.Samples);
    }

    [Fact]
    public void Read_OddSizedData8Bit_ReadsEverySample()
    {
        var wav = new WavBuilder { BitsPerSample = 8, Data = [128, 192, 64], TrailingChunks = [("LIST", [1, 2])] };

        var clip = WavReader.Read(wav.ToStream(), "a.wav", 10);

        Assert.Equal([0f, 0.5f, -0.5f], clip.Samples);
    }

    [Fact]
    public void Read_FmtAfterData_Reads()
    {
        var wav = new WavBuilder { Data = WavBuilder.Pcm16(_ramp), DataBeforeFmt = true };

        Assert.Equal(_ramp, WavReader.Read(wav.ToStream(), "a.wav", 10).Samples);
    }

    [Fact]
    public void Read_Rf64_TakesDataSizeFromDs64()
    {
        var wav = new WavBuilder { RiffId = "RF64", Data = WavBuilder.Pcm16(_ramp), TrailingChunks = [("LIST", [1, 2, 3, 4])] };

        Assert.Equal(_ramp, WavReader.Read(wav.ToStream(), "a.wav", 10).Samples);
    }

    [Fact]
    public void Read_DataSizeUnknown_ReadsToEndOfFile()
    {
        var wav = new WavBuilder { Data = WavBuilder.Pcm16(_ramp), DataSizeField = uint.MaxValue };

        Assert.Equal(_ramp, WavReader.Read(wav.ToStream(), "a.wav", 10).Samples);
    }

    [Fact]
    public void Read_TruncatedData_ThrowsNamingFileAndTruncation()
    {
        var wav = new WavBuilder { Data = WavBuilder.Pcm16(_ramp), TruncateBy = 5 };

        var ex = Assert.Throws<AudioFormatException>(() => WavReader.Read(wav.ToStream(), "cut.wav", 10));

        Assert.Contains("'cut.wav'", ex.Message);
        Assert.Contains("truncated", ex.Message);
    }

    [Fact]
    public void Read_GarbageBytes_ThrowsNotRiff()
    {
        var garbage = Signals.Noise(100, seed: 1).Select(v => (byte)(v * 1000)).ToArray();

        var ex = Assert.Throws<AudioFormatException>(() => WavReader.Read(new MemoryStream(garbage), "noise.wav", 10));

        Assert.Contains("'noise.wav'", ex.Message);
        Assert.Contains("not a RIFF/WAVE file", ex.Message);
    }

    [Fact]
    public void Read_FewerBytesThanAHeader_Throws()
    {
        var ex = Assert.Throws<AudioFormatException>(() => WavReader.Read(new MemoryStream("RIFF"u8.ToArray()), "tiny.wav", 10));

        Assert.Contains("only 4 bytes", ex.Message);
    }

    [Fact]
    public void Read_NotWaveRiff_ThrowsNamingType()
    {
        var bytes = new WavBuilder { Data = WavBuilder.Pcm16(_ramp) }.ToBytes();
        "AVI "u8.CopyTo(bytes.AsSpan(8));

        var ex = Assert.Throws<AudioFormatException>(() => WavReader.Read(new MemoryStream(bytes), "a.wav", 10));

        Assert.Contains("'AVI '", ex.Message);
    }

    [Fact]
    public void Read_BigEndianRifx_ThrowsUnsupported()
    {
        var wav = new WavBuilder { RiffId = "RIFX", Data = WavBuilder.Pcm16(_ramp) };

        var ex = Assert.Throws<AudioFormatException>(() => WavReader.Read(wav.ToStream(), "a.wav", 10));

        Assert.Contains("big-endian", ex.Message);
    }

    [Fact]
    public void Read_Mp3FormatTag_ThrowsUnsupportedTag0x0055()
    {
        var wav = new WavBuilder { FormatTag = 0x0055, BitsPerSample = 0, BlockAlign = 1, Data = [1, 2, 3, 4] };

        var ex = Assert.Throws<AudioFormatException>(() => WavReader.Read(wav.ToStream(), "mp3in.wav", 10));

        Assert.Contains("'mp3in.wav'", ex.Message);
        Assert.Contains("unsupported format tag 0x0055 (MPEG Layer 3)", ex.Message);
    }

    [Fact]
    public void Read_ZeroChannels_Throws()
    {
        var wav = new WavBuilder { Channels = 0, BlockAlign = 2, Data = [0, 0] };

        var ex = Assert.Throws<AudioFormatException>(() => WavReader.Read(wav.ToStream(), "a.wav", 10));

        Assert.Contains("zero channels", ex.Message);
    }

    [Theory]
    [InlineData(0u)]
    [InlineData(500u)]
    [InlineData(5_000_000u)]
    public void Read_AbsurdSampleRate_Throws(uint rate)
    {
        var wav = new WavBuilder { SampleRate = rate, Data = WavBuilder.Pcm16(_ramp) };

        var ex = Assert.Throws<AudioFormatException>(() => WavReader.Read(wav.ToStream(), "a.wav", 10));

        Assert.Contains($"absurd sample rate {rate} Hz", ex.Message);
    }

    [Fact]
    public void Read_UnsupportedBitDepth_Throws()
    {
        var wav = new WavBuilder { BitsPerSample = 12, BlockAlign = 2, Data = [0, 0] };

        var ex = Assert.Throws<AudioFormatException>(() => WavReader.Read(wav.ToStream(), "a.wav", 10));

        Assert.Contains("unsupported PCM sample size 12 bits", ex.Message);
    }

    [Fact]
    public void Read_BlockAlignMismatch_Throws()
    {
        var wav = new WavBuilder { Channels = 2, BlockAlign = 2, Data = [0, 0, 0, 0] };

        var ex = Assert.Throws<AudioFormatException>(() => WavReader.Read(wav.ToStream(), "a.wav", 10));

        Assert.Contains("block align 2", ex.Message);
    }

    [Fact]
    public void Read_NoDataChunk_Throws()
    {
        var bytes = new WavBuilder { Data = [] }.ToBytes();
        "note"u8.CopyTo(bytes.AsSpan(36));

        var ex = Assert.Throws<AudioFormatException>(() => WavReader.Read(new MemoryStream(bytes), "a.wav", 10));

        Assert.Contains("no 'data' chunk", ex.Message);
    }

    [Fact]
    public void Read_LongerThanLimit_ThrowsWithLengthAndLimit()
    {
        var wav = new WavBuilder { SampleRate = 1000, Data = new byte[2 * 2500] };

        var ex = Assert.Throws<AudioFormatException>(() => WavReader.Read(wav.ToStream(), "long.wav", 2));

        Assert.Contains("'long.wav'", ex.Message);
        Assert.Contains("2.5 s long and the limit is 2 s", ex.Message);
    }

    [Fact]
    public void Read_ExampleUserWav_Is20SecondsOf16kMono()
    {
        var clip = WavReader.Read(Path.Combine(RepoPaths.Root, "training", "example", "user.wav"), 60);

        Assert.Equal(16000, clip.SampleRate);
        Assert.Equal(320000, clip.Samples.Length);
        Assert.Equal(TimeSpan.FromSeconds(20), clip.Duration);
    }

    [Fact]
    public void Read_MissingFile_ThrowsNamingIt()
    {
        var ex = Assert.Throws<AudioFormatException>(() => WavReader.Read("/nonexistent/absent.wav", 10));

        Assert.Contains("'absent.wav'", ex.Message);
    }

    private static byte[] Encode(float[] samples, ushort tag, int bits)
    {
        var size = bits / 8;
        var bytes = new byte[samples.Length * size];
        for (var i = 0; i < samples.Length; i++)
        {
            var span = bytes.AsSpan(i * size, size);
            double v = samples[i];
            switch ((tag, bits))
            {
                case (1, 8):
                    span[0] = (byte)Math.Clamp(Math.Round(v * 128) + 128, 0, 255);
                    break;
                case (1, 16):
                    BinaryPrimitives.WriteInt16LittleEndian(span, (short)Math.Clamp(Math.Round(v * 32768), short.MinValue, short.MaxValue));
                    break;
                case (1, 24):
                    var i24 = (int)Math.Clamp(Math.Round(v * 8388608), -8388608, 8388607);
                    span[0] = (byte)i24;
                    span[1] = (byte)(i24 >> 8);
                    span[2] = (byte)(i24 >> 16);
                    break;
                case (1, 32):
                    BinaryPrimitives.WriteInt32LittleEndian(span, (int)Math.Clamp(Math.Round(v * 2147483648.0), int.MinValue, int.MaxValue));
                    break;
                case (3, 32):
                    BinaryPrimitives.WriteSingleLittleEndian(span, (float)v);
                    break;
                default:
                    BinaryPrimitives.WriteDoubleLittleEndian(span, v);
                    break;
            }
        }

        return bytes;
    }
}
