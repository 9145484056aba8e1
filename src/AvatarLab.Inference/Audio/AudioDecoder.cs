namespace AvatarLab.Inference.Audio;

/// <summary>
/// Loads an audio file as mono at a target rate. The file's first bytes decide how: WAV
/// (RIFF/RF64) is read in-process by <see cref="WavReader"/> and resampled by
/// <see cref="Resampler"/>; anything else (MP3, OGG, FLAC, M4A, the audio of MP4/WebM) is
/// decoded by ffmpeg, found on PATH or at <see cref="AudioDecoderOptions.FfmpegPath"/>.
/// Every problem with the file is an <see cref="AudioFormatException"/> naming it.
/// </summary>
public static class AudioDecoder
{
    /// <summary>Loads and converts a file; see <see cref="LoadAsync"/>.</summary>
    public static AudioClip Load(string path, int targetRate, double maxSeconds, AudioDecoderOptions? options = null) =>
        // No synchronization context in the engine's hosts (console, ASP.NET Core): blocking is safe.
        LoadAsync(path, targetRate, maxSeconds, options).GetAwaiter().GetResult();

    /// <summary>Loads an audio file as mono samples at <paramref name="targetRate"/>.</summary>
    /// <param name="path">The file; its content, not its extension, selects the decoder.</param>
    /// <param name="targetRate">Sample rate of the result (the model's, e.g. 16000).</param>
    /// <param name="maxSeconds">Longest audio accepted; longer files are an error, found before decoding all of them.</param>
    /// <param name="options">Where ffmpeg is; null for the defaults (PATH).</param>
    /// <param name="cancellationToken">Stops an ffmpeg decode.</param>
    /// <exception cref="AudioFormatException">The file is unreadable, damaged, too long, or needs a missing ffmpeg.</exception>
    public static async Task<AudioClip> LoadAsync(
        string path, int targetRate, double maxSeconds, AudioDecoderOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(targetRate);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxSeconds);
        options ??= new AudioDecoderOptions();
        var name = Path.GetFileName(path);

        var head = ReadHead(path, name);
        if (head.Length == 0)
        {
            throw new AudioFormatException($"'{name}' is empty");
        }

        var container = AudioContainer.Identify(head);
        var isWavName = Path.GetExtension(path).Equals(".wav", StringComparison.OrdinalIgnoreCase);
        if (container == "WAV" || (container is null && isWavName))
        {
            // A .wav that is not RIFF gets the WAV reader's "not a RIFF/WAVE file" message.
            var clip = WavReader.Read(path, maxSeconds);
            return clip.SampleRate == targetRate
                ? clip
                : AudioClip.FromSamples(Resampler.Resample(clip.Samples, clip.SampleRate, targetRate), targetRate, clip.SourceFormat);
        }

        var formatName = container ?? AudioContainer.FromExtension(path);
        var ffmpeg = FfmpegLocator.Find(options.FfmpegPath);
        if (ffmpeg is null)
        {
            var where = string.IsNullOrEmpty(options.FfmpegPath) ? "" : $" (not found at '{options.FfmpegPath}')";
            throw new AudioFormatException(
                $"'{name}' needs ffmpeg to decode {formatName}{where}; install it (apt-get install ffmpeg) or convert to WAV");
        }

        var samples = await FfmpegDecoder.DecodeAsync(
            ffmpeg, path, formatName, targetRate, maxSeconds, options.FfmpegTimeout, cancellationToken);
        return AudioClip.FromSamples(samples, targetRate, $"{formatName} (ffmpeg)");
    }

    private static byte[] ReadHead(string path, string name)
    {
        try
        {
            using var stream = File.OpenRead(path);
            var head = new byte[AudioContainer.SniffBytes];
            var read = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
            return head[..read];
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new AudioFormatException($"cannot read '{name}': {ex.Message}", ex);
        }
    }
}
