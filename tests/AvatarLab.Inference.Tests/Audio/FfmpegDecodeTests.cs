using System.Diagnostics;
using AvatarLab.Inference.Audio;

namespace AvatarLab.Inference.Tests.Audio;

/// <summary>Round trips through the real ffmpeg: encode a generated WAV, decode it back with <see cref="AudioDecoder"/>.</summary>
public sealed class FfmpegDecodeTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [FfmpegTheory]
    [InlineData("mp3", "MP3", "libmp3lame")]
    [InlineData("ogg", "OGG", "libvorbis")]
    [InlineData("flac", "FLAC", "flac")]
    [InlineData("m4a", "M4A", "aac")]
    [InlineData("webm", "WebM", "libopus")]
    public async Task LoadAsync_EncodedTone_DecodesToTheToneAt16k(string extension, string format, string codec)
    {
        var wav = WriteToneWav(seconds: 2);
        var encoded = _temp.File("tone." + extension);
        await RunFfmpegAsync("-i", wav, "-c:a", codec, "-b:a", "128k", encoded);

        var clip = await AudioDecoder.LoadAsync(encoded, 16000, 60);

        Assert.Equal($"{format} (ffmpeg)", clip.SourceFormat);
        Assert.Equal(16000, clip.SampleRate);
        // Codecs pad or trim a few milliseconds at the ends.
        Assert.InRange(clip.Duration.TotalSeconds, 1.95, 2.1);
        var amplitude = Signals.AmplitudeAt(clip.Samples, 1000, 16000);
        Assert.InRange(Signals.Decibels(amplitude / 0.5), -0.5, 0.5);
    }

    [FfmpegFact]
    public async Task LoadAsync_Flac16kMono_EqualsTheWavSamplesExactly()
    {
        // Lossless, no resampling and int16 -> float32 is exact: ffmpeg and WavReader must agree bit for bit.
        var samples = Signals.Noise(16000, seed: 13);
        var wav = _temp.WriteBytes("noise.wav", new WavBuilder { Data = WavBuilder.Pcm16(samples) }.ToBytes());
        var flac = _temp.File("noise.flac");
        await RunFfmpegAsync("-i", wav, flac);

        var decoded = await AudioDecoder.LoadAsync(flac, 16000, 60);

        Assert.Equal(WavReader.Read(wav, 60).Samples, decoded.Samples);
    }

    [FfmpegFact]
    public async Task LoadAsync_LongerThanLimit_ThrowsNamingLimit()
    {
        var wav = WriteToneWav(seconds: 3);
        var mp3 = _temp.File("long.mp3");
        await RunFfmpegAsync("-i", wav, mp3);

        var ex = await Assert.ThrowsAsync<AudioFormatException>(() => AudioDecoder.LoadAsync(mp3, 16000, maxSeconds: 1));

        Assert.Equal("'long.mp3' is longer than the limit of 1 s", ex.Message);
    }

    [FfmpegFact]
    public async Task LoadAsync_GarbageUnderMp3Name_ReportsFfmpegsLastErrorLine()
    {
        var path = _temp.WriteBytes("garbage.mp3", Enumerable.Range(0, 4096).Select(i => (byte)(i * 7919 % 251)).ToArray());

        var ex = await Assert.ThrowsAsync<AudioFormatException>(() => AudioDecoder.LoadAsync(path, 16000, 60));

        // ffmpeg's last line varies with the bytes and its version ("Invalid data found when
        // processing input", "<path>: Invalid argument"); it must follow the explanation.
        Assert.Matches(@"^'garbage\.mp3': ffmpeg could not decode it as MP3 \(exit code \d+\): \S.+$", ex.Message);
    }

    [FfmpegFact]
    public async Task LoadAsync_VideoWithoutAudio_SaysThereIsNoAudioStream()
    {
        var mp4 = _temp.File("silent.mp4");
        await RunFfmpegAsync("-f", "lavfi", "-i", "color=c=black:s=32x32:d=0.2", "-c:v", "mpeg4", mp4);

        var ex = await Assert.ThrowsAsync<AudioFormatException>(() => AudioDecoder.LoadAsync(mp4, 16000, 60));

        Assert.Equal("'silent.mp4' has no audio stream", ex.Message);
    }

    private string WriteToneWav(int seconds)
    {
        var tone = Signals.Tone(1000, 44100, 44100 * seconds);
        return _temp.WriteBytes("tone.wav", new WavBuilder { Channels = 2, SampleRate = 44100, Data = WavBuilder.Pcm16(tone, tone) }.ToBytes());
    }

    private static async Task RunFfmpegAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("ffmpeg") { RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in (string[])["-nostdin", "-hide_banner", "-loglevel", "error", "-y", .. arguments])
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stderr = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"ffmpeg {string.Join(' ', arguments)} failed: {stderr}");
    }
}
