using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using AvatarLab.Inference.Audio;
using AvatarLab.Inference.Measures;
using AvatarLab.Inference.Telemetry;
using AvatarLab.Server.Storage;

namespace AvatarLab.Server.Timeline;

/// <summary>
/// What a timeline derives from a session's stored files, kept on disk beside the store
/// (cache/timeline/ in the data folder) so that opening a session never decodes its whole
/// telemetry or its audio again: the <see cref="TimelineSummary"/> of a telemetry file (about
/// 1.2 s for the 1,500 blocks of a 10-minute run on the 2-core VM, against about 10 ms to load
/// the saved one) and the loudness envelope of an audio file at a sample rate and frame rate
/// (about 0.3 s of decoding), and a session's reactivity measures (about 4.3 s of one core for a
/// 10-minute session, SID's k-means restarts most of it). Entries are named by the content they
/// come from (SHA-256 of the stored files), so they are never stale; a damaged or missing entry
/// is made again. The worker fills them when a run finishes (<see cref="Workers.SessionRunner"/>);
/// sessions that finished before get theirs on first use.
/// </summary>
public sealed class TimelineCache(BlobStore store, ILogger<TimelineCache> log)
{
    // Bumped when what an entry holds changes: older entries are then ignored and made again.
    private const string Version = "v1";

    public string Folder => Path.Combine(store.Root, "cache", "timeline");

    /// <summary>The summary of the stored telemetry file <paramref name="telemetrySha"/>: saved, or read from the telemetry and saved.</summary>
    public TimelineSummary Summary(string telemetrySha)
    {
        var path = Path.Combine(Folder, $"{telemetrySha}.{Version}.summary");
        if (File.Exists(path))
        {
            try
            {
                using var saved = new BufferedStream(File.OpenRead(path), 1 << 16);
                return TimelineSummary.Load(saved);
            }
            catch (Exception e) when (e is InvalidDataException or System.Text.Json.JsonException or IOException)
            {
                log.LogWarning("Saved timeline summary {Path} is unreadable ({Error}); reading the telemetry again", path, e.Message);
            }
        }

        TimelineSummary summary;
        using (var stream = new BufferedStream(File.OpenRead(store.PathOf(telemetrySha)), 1 << 16))
        {
            summary = TimelineSummary.Read(stream);
        }

        Write(path, summary.Save);
        return summary;
    }

    /// <summary>
    /// Loudness per video frame in dB (<see cref="Inference.Measures.Loudness.Envelope"/>) of the
    /// stored audio file <paramref name="audioSha"/> at <paramref name="sampleRate"/> and
    /// <paramref name="fps"/>; null when the file cannot be decoded (logged).
    /// </summary>
    public double[]? Loudness(string audioSha, int sampleRate, int fps)
    {
        var path = Path.Combine(Folder, $"{audioSha}-{sampleRate}-{fps}.{Version}.loudness");
        if (File.Exists(path))
        {
            try
            {
                var bytes = File.ReadAllBytes(path);
                if (bytes.Length % 8 == 0)
                {
                    var db = new double[bytes.Length / 8];
                    for (var i = 0; i < db.Length; i++)
                    {
                        db[i] = BinaryPrimitives.ReadDoubleLittleEndian(bytes.AsSpan(i * 8));
                    }

                    return db;
                }
            }
            catch (IOException e)
            {
                log.LogWarning("Saved loudness {Path} is unreadable ({Error}); decoding the audio again", path, e.Message);
            }
        }

        if (DecodeAudio(audioSha, sampleRate) is not { } samples)
        {
            return null;
        }

        var envelope = Inference.Measures.Loudness.Envelope(samples, sampleRate, fps);
        Write(path, stream =>
        {
            var bytes = new byte[envelope.Length * 8];
            for (var i = 0; i < envelope.Length; i++)
            {
                BinaryPrimitives.WriteDoubleLittleEndian(bytes.AsSpan(i * 8), envelope[i]);
            }

            stream.Write(bytes);
        });
        return envelope;
    }

    // Bumped when SessionMeasures' definitions change: saved measures are then computed again.
    private const string MeasuresVersion = "m1";

    private static readonly JsonSerializerOptions _measuresJson = new()
    {
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter() },
    };

    /// <summary>
    /// Names the measures of one set of inputs: the generated motion, the user's motion (null when
    /// not used), both audio files (null when absent), the frame and sample rates and whether the
    /// latent is face-params/1 (what <see cref="SessionMeasures.Compute"/> reads).
    /// </summary>
    public static string MeasuresKey(string motionSha, string? userMotionSha, string? avatarAudioSha, string? userAudioSha, int fps, int sampleRate, bool faceParams) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(
            $"{motionSha}|{userMotionSha}|{avatarAudioSha}|{userAudioSha}|{fps}|{sampleRate}|{faceParams}")));

    /// <summary>The saved measures of <paramref name="key"/> (<see cref="MeasuresKey"/>), or null when none are saved or the entry is unreadable (logged).</summary>
    public SessionMeasureReport? SavedMeasures(string key)
    {
        var path = MeasuresPath(key);
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            using var stream = File.OpenRead(path);
            return JsonSerializer.Deserialize<SavedReport>(stream, _measuresJson)?.ToReport()
                ?? throw new InvalidDataException("the entry is empty");
        }
        catch (Exception e) when (e is JsonException or InvalidDataException or IOException or ArgumentException or NotSupportedException)
        {
            log.LogWarning("Saved measures {Path} are unreadable ({Error}); computing them again", path, e.Message);
            return null;
        }
    }

    /// <summary>Saves <paramref name="report"/> under <paramref name="key"/> (<see cref="MeasuresKey"/>); a failure is logged.</summary>
    public void SaveMeasures(string key, SessionMeasureReport report) =>
        Write(MeasuresPath(key), stream => JsonSerializer.Serialize(stream, SavedReport.Of(report), _measuresJson));

    private string MeasuresPath(string key) => Path.Combine(Folder, $"{key}.{MeasuresVersion}.measures.json");

    // SessionMeasureReport as saved: MeasureValue has no public constructor, so each is its value or reason.
    private sealed record SavedReport(
        int Fps,
        int AvatarFrames,
        bool FaceParams,
        Dictionary<MeasureKind, SavedValue> Values,
        double[]? AvatarLoudnessDb,
        double[]? UserLoudnessDb,
        SpeechActivity? AvatarSpeech,
        SpeechActivity? UserSpeech,
        List<ChannelSync> UserSync,
        List<string> Notes)
    {
        public static SavedReport Of(SessionMeasureReport r) => new(r.Fps, r.AvatarFrames, r.FaceParams,
            r.Values.ToDictionary(v => v.Key, v => new SavedValue(v.Value.Value, v.Value.Reason)),
            r.AvatarLoudnessDb, r.UserLoudnessDb, r.AvatarSpeech, r.UserSpeech, [.. r.UserSync], [.. r.Notes]);

        public SessionMeasureReport ToReport() => new()
        {
            Fps = Fps,
            AvatarFrames = AvatarFrames,
            FaceParams = FaceParams,
            Values = (Values ?? throw new InvalidDataException("the entry has no values")).ToDictionary(v => v.Key,
                v => v.Value.Value is { } value ? MeasureValue.Of(value) : MeasureValue.Missing(v.Value.Reason ?? throw new InvalidDataException($"measure {v.Key} has neither a value nor a reason"))),
            AvatarLoudnessDb = AvatarLoudnessDb,
            UserLoudnessDb = UserLoudnessDb,
            AvatarSpeech = AvatarSpeech,
            UserSpeech = UserSpeech,
            UserSync = UserSync ?? [],
            Notes = Notes ?? [],
        };
    }

    private sealed record SavedValue(double? Value, string? Reason);

    /// <summary>A stored audio file's samples at <paramref name="sampleRate"/>, or null when it is missing or not decodable (logged).</summary>
    public float[]? DecodeAudio(string audioSha, int sampleRate)
    {
        if (!store.Exists(audioSha))
        {
            return null;
        }

        try
        {
            return AudioDecoder.Load(store.PathOf(audioSha), sampleRate, maxSeconds: double.MaxValue).Samples;
        }
        catch (AudioFormatException e)
        {
            log.LogWarning("Audio {Sha} not decoded for the timeline: {Error}", audioSha, e.Message);
            return null;
        }
    }

    // Through a temporary file and a rename, as the store writes: a reader never sees half an entry.
    // A cache that cannot be written costs only speed, so failures are logged, not thrown.
    private void Write(string path, Action<Stream> write)
    {
        var temp = path + "." + Guid.NewGuid().ToString("N") + ".part";
        try
        {
            Directory.CreateDirectory(Folder);
            using (var stream = new BufferedStream(File.Create(temp), 1 << 16))
            {
                write(stream);
            }

            File.Move(temp, path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            log.LogWarning("Timeline cache entry {Path} not written: {Error}", path, e.Message);
            BlobStore.DeleteQuietly(temp);
        }
    }
}
