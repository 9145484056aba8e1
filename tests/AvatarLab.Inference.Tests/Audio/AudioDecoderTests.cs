using AvatarLab.Inference.Audio;
using AvatarLab.Inference.Tests.Support;

namespace AvatarLab.Inference.Tests.Audio;

public sealed class AudioDecoderTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Load_Wav16kMono_ReturnsTheSamplesUnchanged()
    {
        var path = Path.Combine(RepoPaths.Root, "training", "example", "user.wav");

        var clip = AudioDecoder.Load(path, 16000, 60);

        Assert.Equal(WavReader.Read(path, 60).Samples, clip.Samples);
        Assert.Equal(TimeSpan.FromSeconds(20), clip.Duration);
        Assert.Equal("WAV PCM 16-bit, 1 ch, 16000 Hz", clip.SourceFormat);
    }

    [Fact]
    public void Load_Wav44100Stereo_DownmixesAndResamplesTo16k()
    {
        var tone = Signals.Tone(1000, 44100, 44100);
        var path = _temp.WriteBytes("tone.wav", new WavBuilder { Channels = 2, SampleRate = 44100, Data = WavBuilder.Pcm16(tone, tone) }.ToBytes());

        var clip = AudioDecoder.Load(path, 16000, 60);

        Assert.Equal(16000, clip.SampleRate);
        Assert.Equal(16000, clip.Samples.Length);
        Assert.Equal("WAV PCM 16-bit, 2 ch, 44100 Hz", clip.SourceFormat);
        Assert.InRange(Signals.AmplitudeAt(clip.Samples, 1000, 16000), 0.49, 0.51);
    }

    [Fact]
    public void Load_WavContentUnderMp3Name_IsReadAsWav()
    {
        var path = _temp.WriteBytes("really-a-wav.mp3", new WavBuilder { Data = WavBuilder.Pcm16([0.5f, -0.5f]) }.ToBytes());

        var clip = AudioDecoder.Load(path, 16000, 60, new AudioDecoderOptions { FfmpegPath = "/nonexistent/ffmpeg" });

        Assert.Equal([0.5f, -0.5f], clip.Samples);
    }

    [Fact]
    public void Load_GarbageUnderWavName_ThrowsNotRiffNamingTheFile()
    {
        var path = _temp.WriteBytes("broken.wav", "this is a text file, not audio"u8.ToArray());

        var ex = Assert.Throws<AudioFormatException>(() => AudioDecoder.Load(path, 16000, 60));

        Assert.Contains("'broken.wav'", ex.Message);
        Assert.Contains("not a RIFF/WAVE file", ex.Message);
    }

    [Fact]
    public void Load_EmptyFile_ThrowsEmpty()
    {
        var path = _temp.WriteBytes("empty.wav", []);

        var ex = Assert.Throws<AudioFormatException>(() => AudioDecoder.Load(path, 16000, 60));

        Assert.Equal("'empty.wav' is empty", ex.Message);
    }

    [Fact]
    public void Load_MissingFile_ThrowsNamingIt()
    {
        var ex = Assert.Throws<AudioFormatException>(() => AudioDecoder.Load(_temp.File("absent.mp3"), 16000, 60));

        Assert.Contains("'absent.mp3'", ex.Message);
    }

    [Fact]
    public void Load_Mp3WithoutFfmpeg_SaysToInstallItOrConvert()
    {
        var path = _temp.WriteBytes("x.mp3", [(byte)'I', (byte)'D', (byte)'3', 4, 0, 0, 0, 0, 0, 0]);

        var ex = Assert.Throws<AudioFormatException>(() => AudioDecoder.Load(path, 16000, 60, new AudioDecoderOptions { FfmpegPath = "/nonexistent/ffmpeg" }));

        Assert.Equal(
            "'x.mp3' needs ffmpeg to decode MP3 (not found at '/nonexistent/ffmpeg'); install it (apt-get install ffmpeg) or convert to WAV",
            ex.Message);
    }

    [Fact]
    public void FfmpegLocator_EmptySearchPath_FindsNothing()
    {
        Assert.Null(FfmpegLocator.Find(null, ""));
    }

    [Fact]
    public void FfmpegLocator_FolderWithFfmpeg_FindsIt()
    {
        var path = _temp.WriteBytes("ffmpeg", []);

        Assert.Equal(path, FfmpegLocator.Find(null, "/nonexistent" + Path.PathSeparator + _temp.Path));
    }

    [Theory]
    [InlineData(new byte[] { (byte)'O', (byte)'g', (byte)'g', (byte)'S' }, "OGG")]
    [InlineData(new byte[] { (byte)'f', (byte)'L', (byte)'a', (byte)'C' }, "FLAC")]
    [InlineData(new byte[] { 0xFF, 0xFB, 0x90, 0x00 }, "MP3")]
    [InlineData(new byte[] { 0, 0, 0, 0x20, (byte)'f', (byte)'t', (byte)'y', (byte)'p', (byte)'M', (byte)'4', (byte)'A', (byte)' ' }, "M4A")]
    [InlineData(new byte[] { 0, 0, 0, 0x20, (byte)'f', (byte)'t', (byte)'y', (byte)'p', (byte)'i', (byte)'s', (byte)'o', (byte)'m' }, "MP4")]
    [InlineData(new byte[] { 0x1A, 0x45, 0xDF, 0xA3 }, "WebM")]
    [InlineData(new byte[] { 0xFF, 0xF1, 0x50, 0x80 }, null)]
    public void AudioContainer_FirstBytes_IdentifyTheFormat(byte[] head, string? expected)
    {
        Assert.Equal(expected, AudioContainer.Identify(head));
    }
}
