using AvatarLab.Inference.Audio;
using AvatarLab.Inference.Motion;
using AvatarLab.Inference.Rendering;
using AvatarLab.Server.Data;
using AvatarLab.Server.Data.Entities;
using AvatarLab.Server.Hosting;
using AvatarLab.Server.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AvatarLab.Server.Services;

/// <summary>
/// Turns uploaded files into a recording: checks every file with the engine's own readers
/// (the same code that will run it), checks that the streams have matching lengths, and only
/// then moves the files into the store and writes the rows, in one transaction. A rejected
/// upload leaves nothing behind.
/// </summary>
public sealed class RecordingImporter(
    IDbContextFactory<AvatarLabDbContext> dbFactory,
    BlobStore store,
    IOptions<UploadOptions> uploadOptions)
{
    /// <summary>Form field name of each file kind (the HTTP API's names).</summary>
    public static readonly IReadOnlyDictionary<string, RecordingFileKind> FieldKinds = new Dictionary<string, RecordingFileKind>(StringComparer.OrdinalIgnoreCase)
    {
        ["avatar_audio"] = RecordingFileKind.AvatarAudio,
        ["user_audio"] = RecordingFileKind.UserAudio,
        ["user_video"] = RecordingFileKind.UserVideo,
        ["user_motion"] = RecordingFileKind.UserMotion,
        ["portrait"] = RecordingFileKind.Portrait,
    };

    // The engine works at 16 kHz for the reference model; validation decodes at this rate only
    // to prove the file decodes and to measure it (runs decode again at the model's rate).
    private const int ProbeRate = 16000;

    public Task<Recording> ImportAsync(MultipartUpload upload, string? ownerId, CancellationToken ct) =>
        ImportAsync(upload.Files, upload.Fields, ownerId, ct);

    /// <summary>Imports files already in the data root's temporary folder (adopted on success; the caller deletes them on failure).</summary>
    public async Task<Recording> ImportAsync(IReadOnlyList<UploadedPart> uploaded, IReadOnlyDictionary<string, string> fields,
        string? ownerId, CancellationToken ct)
    {
        var limits = uploadOptions.Value;
        var parts = new Dictionary<RecordingFileKind, UploadedPart>();
        foreach (var part in uploaded)
        {
            if (!FieldKinds.TryGetValue(part.Field, out var kind))
            {
                throw new UploadException($"unknown file field '{part.Field}' (expected {string.Join(", ", FieldKinds.Keys)})");
            }

            if (!parts.TryAdd(kind, part))
            {
                throw new UploadException($"{part.Field}: more than one file");
            }

            if (part.Bytes == 0)
            {
                throw new UploadException($"{part.Field}: '{part.FileName}' is empty");
            }
        }

        if (!parts.ContainsKey(RecordingFileKind.AvatarAudio) && !parts.ContainsKey(RecordingFileKind.UserAudio))
        {
            throw new UploadException("a recording needs the avatar's audio (avatar_audio) or the user's audio (user_audio)");
        }

        var motionSource = fields.TryGetValue("motion_source", out var source) && source.Equals("tracking", StringComparison.OrdinalIgnoreCase)
            ? MotionSource.BrowserTracking : MotionSource.Uploaded;
        var files = new List<(UploadedPart Part, RecordingFile File)>();
        foreach (var (kind, part) in parts)
        {
            var file = new RecordingFile
            {
                Kind = kind,
                Sha256 = "",
                FileName = part.FileName,
                ContentType = part.ContentType,
                Bytes = part.Bytes,
            };
            await DescribeAsync(kind, part, file, limits, ct);
            if (kind == RecordingFileKind.UserMotion)
            {
                file.MotionSource = motionSource;
            }

            files.Add((part, file));
        }

        CheckLengths(files, limits);

        var name = fields.TryGetValue("name", out var n) && !string.IsNullOrWhiteSpace(n)
            ? n.Trim() : Path.GetFileNameWithoutExtension(files[0].Part.FileName);
        var recording = new Recording
        {
            Name = name.Length > 200 ? name[..200] : name,
            Description = fields.TryGetValue("description", out var d) ? d.Trim() : "",
            OwnerId = ownerId,
            DurationSeconds = files.Max(f => f.File.DurationSeconds ?? 0),
        };

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        foreach (var (part, file) in files)
        {
            var stored = await store.AdoptAsync(part.TempPath, ct);
            await BlobStore.TrackAsync(db, stored, ct);
            file.Sha256 = stored.Sha256;
            recording.Files.Add(file);
        }

        db.Recordings.Add(recording);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return recording;
    }

    private static async Task DescribeAsync(RecordingFileKind kind, UploadedPart part, RecordingFile file, UploadOptions limits, CancellationToken ct)
    {
        var label = $"{part.Field}: '{part.FileName}'";
        switch (kind)
        {
            case RecordingFileKind.AvatarAudio or RecordingFileKind.UserAudio:
            {
                var head = new byte[12];
                await using (var s = File.OpenRead(part.TempPath))
                {
                    _ = await s.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, ct);
                }

                try
                {
                    if (IsWav(head))
                    {
                        // WAV is read in-process: its own rate and channels are known and checked.
                        var wav = WavReader.Read(part.TempPath, limits.MaxSeconds);
                        if (wav.SampleRate < limits.MinSampleRate || wav.SampleRate > limits.MaxSampleRate)
                        {
                            throw new UploadException(
                                $"{label} has a sample rate of {wav.SampleRate} Hz; accepted are {limits.MinSampleRate}..{limits.MaxSampleRate} Hz");
                        }

                        file.SampleRate = wav.SampleRate;
                        file.DurationSeconds = wav.Duration.TotalSeconds;
                        file.Details = wav.SourceFormat;
                    }
                    else
                    {
                        var clip = await AudioDecoder.LoadAsync(part.TempPath, ProbeRate, limits.MaxSeconds, null, ct);
                        file.DurationSeconds = clip.Duration.TotalSeconds;
                        file.Details = clip.SourceFormat;
                    }
                }
                catch (AudioFormatException ex)
                {
                    throw new UploadException($"{part.Field}: {AsUploaded(ex.Message, part)}", StatusCodes.Status415UnsupportedMediaType);
                }

                if (file.DurationSeconds < 0.04)
                {
                    throw new UploadException($"{label} holds less than one video frame of audio");
                }

                break;
            }

            case RecordingFileKind.UserMotion:
            {
                MotionTrack track;
                try
                {
                    track = MotionTrackReader.Read(part.TempPath, FaceParams.Names, defaultFps: 25);
                }
                catch (MotionTrackFormatException ex)
                {
                    throw new UploadException($"{part.Field}: {AsUploaded(ex.Message, part)}", StatusCodes.Status415UnsupportedMediaType);
                }

                if (track.Duration.TotalSeconds > limits.MaxSeconds)
                {
                    throw new UploadException($"{label} is {track.Duration.TotalSeconds:0.#} s long; the limit is {limits.MaxSeconds:0} s (Uploads:MaxSeconds)");
                }

                file.Frames = track.Frames;
                file.Fps = track.Fps;
                file.DurationSeconds = track.Duration.TotalSeconds;
                file.Details = $"face-params/1, {track.Frames} frames at {track.Fps:0.##} fps";
                break;
            }

            case RecordingFileKind.UserVideo:
            {
                var info = await VideoProbe.ProbeAsync(part.TempPath, part.FileName, ct);
                if (info.DurationSeconds > limits.MaxSeconds)
                {
                    throw new UploadException($"{label} is {info.DurationSeconds:0.#} s long; the limit is {limits.MaxSeconds:0} s (Uploads:MaxSeconds)");
                }

                file.Width = info.Width;
                file.Height = info.Height;
                file.Fps = info.Fps;
                file.Frames = info.Frames;
                file.DurationSeconds = info.DurationSeconds;
                file.Details = $"{info.Codec} {info.Width}x{info.Height} {info.Fps:0.##} fps{(info.HasAudio ? ", with audio" : "")}";
                break;
            }

            case RecordingFileKind.Portrait:
            {
                try
                {
                    var portrait = PortraitLoader.Load(part.TempPath, 256);
                    file.Width = portrait.Width;
                    file.Height = portrait.Height;
                    file.Details = "image, centre-cropped to a square";
                }
                catch (PortraitFormatException ex)
                {
                    throw new UploadException($"{part.Field}: {AsUploaded(ex.Message, part)}", StatusCodes.Status415UnsupportedMediaType);
                }

                break;
            }
        }
    }

    // The engine's readers (and ffmpeg) name the file they read, which is the upload's temporary
    // file: name the file the researcher chose instead, without the server's folders.
    private static string AsUploaded(string message, UploadedPart part) => message
        .Replace(part.TempPath, part.FileName, StringComparison.Ordinal)
        .Replace(Path.GetFileName(part.TempPath), part.FileName, StringComparison.Ordinal);

    private static bool IsWav(ReadOnlySpan<byte> head) =>
        head.Length >= 12 && (head[..4].SequenceEqual("RIFF"u8) || head[..4].SequenceEqual("RF64"u8)) && head[8..12].SequenceEqual("WAVE"u8);

    private static void CheckLengths(List<(UploadedPart Part, RecordingFile File)> files, UploadOptions limits)
    {
        var timed = files.Where(f => f.File.Kind != RecordingFileKind.Portrait && f.File.DurationSeconds is not null).ToList();
        if (timed.Count < 2)
        {
            return;
        }

        var longest = timed.MaxBy(f => f.File.DurationSeconds!.Value);
        var shortest = timed.MinBy(f => f.File.DurationSeconds!.Value);
        var gap = longest.File.DurationSeconds!.Value - shortest.File.DurationSeconds!.Value;
        if (gap > limits.LengthToleranceSeconds)
        {
            throw new UploadException(
                $"the streams' lengths do not match: {shortest.Part.Field} is {shortest.File.DurationSeconds:0.00} s but " +
                $"{longest.Part.Field} is {longest.File.DurationSeconds:0.00} s (more than {limits.LengthToleranceSeconds:0.##} s apart, Uploads:LengthToleranceSeconds)");
        }
    }
}
