using AvatarLab.Inference.Audio;
using AvatarLab.Inference.Measures;
using AvatarLab.Inference.Motion;
using AvatarLab.Inference.Packages;
using AvatarLab.Inference.Runs;
using AvatarLab.Inference.Telemetry;
using AvatarLab.Server.Components.Charts;
using AvatarLab.Server.Data;
using AvatarLab.Server.Data.Entities;
using AvatarLab.Server.Storage;
using Microsoft.EntityFrameworkCore;

namespace AvatarLab.Server.Timeline;

/// <summary>
/// Loads finished sessions' timelines (one pass over the telemetry, the motion CSVs) and keeps
/// the most recently used few in memory, so that reopening a session or exporting its charts
/// does not read the telemetry again. Keyed by session and telemetry content, never stale.
/// </summary>
public sealed class SessionTimelines(IDbContextFactory<AvatarLabDbContext> dbFactory, BlobStore store, ILogger<SessionTimelines> log)
{
    private const int Capacity = 6;
    private readonly Lock _gate = new();
    private readonly LinkedList<(Guid Id, string Sha, Task<SessionTimeline> Load)> _recent = [];

    /// <summary>The session's timeline, or null when it has not succeeded or its telemetry is gone.</summary>
    public async Task<SessionTimeline?> GetAsync(Guid sessionId, CancellationToken ct)
    {
        Session? session;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            session = await db.Sessions.AsNoTracking().Include(s => s.Model).Include(s => s.Recording).ThenInclude(r => r!.Files)
                .FirstOrDefaultAsync(s => s.Id == sessionId, ct);
        }

        if (session is not { Status: SessionStatus.Succeeded, TelemetrySha256: { } sha } || !store.Exists(sha))
        {
            return null;
        }

        Task<SessionTimeline> load;
        lock (_gate)
        {
            var node = _recent.First;
            while (node is not null && (node.Value.Id != sessionId || node.Value.Sha != sha))
            {
                node = node.Next;
            }

            if (node is not null && !node.Value.Load.IsFaulted)
            {
                _recent.Remove(node);
                _recent.AddFirst(node);
                load = node.Value.Load;
            }
            else
            {
                if (node is not null)
                {
                    _recent.Remove(node);
                }

                load = Task.Run(() => Load(session, sha), CancellationToken.None);
                _recent.AddFirst((sessionId, sha, load));
                while (_recent.Count > Capacity)
                {
                    _recent.RemoveLast();
                }
            }
        }

        return await load.WaitAsync(ct);
    }

    private SessionTimeline Load(Session session, string telemetrySha)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var path = store.PathOf(telemetrySha);
        TimelineSummary summary;
        using (var stream = File.OpenRead(path))
        {
            summary = TimelineSummary.Read(new BufferedStream(stream, 1 << 16));
        }

        var summaryMs = System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        var manifest = session.Model is { } m ? ManifestReader.Parse(m.ManifestJson) : null;
        var fps = summary.Header.Fps;
        MotionSeries? motion = null;
        if (session.MotionSha256 is { } motionSha && store.Exists(motionSha))
        {
            var names = manifest is null ? null : OfflineRunner.ChannelNames(manifest);
            motion = MotionSeries.From(MotionTrackReader.Read(store.PathOf(motionSha), names, fps));
        }

        MotionSeries? user = null;
        if (session.Model?.LatentDim == 12
            && session.Recording?.Files.FirstOrDefault(f => f.Kind == RecordingFileKind.UserMotion) is { } userFile
            && store.Exists(userFile.Sha256))
        {
            user = MotionSeries.From(MotionTrackReader.Read(store.PathOf(userFile.Sha256), null, fps));
        }

        var sampleRate = manifest?.SampleRate ?? 16000;
        var avatarAudio = Audio(session, RecordingFileKind.AvatarAudio, sampleRate);
        var userAudio = Audio(session, RecordingFileKind.UserAudio, sampleRate);
        var loudness = new SessionLoudness(
            avatarAudio is null ? null : Loudness.Envelope(avatarAudio, sampleRate, fps),
            userAudio is null ? null : Loudness.Envelope(userAudio, sampleRate, fps));
        var faceParams = manifest?.Latent.Space == "face-params/1";
        Func<SessionMeasureReport?>? measures = motion is null
            ? null
            : () => Measure(session.Id, motion, user, avatarAudio, userAudio, fps, sampleRate, faceParams);
        var timeline = new SessionTimeline(session.Id, summary, path, manifest?.Window.LookaheadFrames ?? 0, motion, user, loudness, measures);
        log.LogInformation("Timeline of session {Session}: {Frames} frames, {Blocks} blocks, loaded in {Ms:0} ms (telemetry {SummaryMs:0} ms)",
            session.Id, summary.Frames, summary.Blocks.Count, System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds, summaryMs);
        return timeline;
    }

    /// <summary>The recording's audio of one side at the model's rate, or null (none, or not decodable: logged).</summary>
    private float[]? Audio(Session session, RecordingFileKind kind, int sampleRate)
    {
        if (session.Recording?.Files.FirstOrDefault(f => f.Kind == kind) is not { } file || !store.Exists(file.Sha256))
        {
            return null;
        }

        try
        {
            return AudioDecoder.Load(store.PathOf(file.Sha256), sampleRate, maxSeconds: double.MaxValue).Samples;
        }
        catch (AudioFormatException e)
        {
            log.LogWarning("Session {Session}: {Kind} not decoded for the timeline: {Error}", session.Id, kind, e.Message);
            return null;
        }
    }

    private SessionMeasureReport Measure(Guid sessionId, MotionSeries motion, MotionSeries? user, float[]? avatarAudio, float[]? userAudio,
        int fps, int sampleRate, bool faceParams)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var report = SessionMeasures.Compute(motion.Values, motion.Channels.Count, user?.Values, avatarAudio, userAudio, fps, sampleRate, faceParams);
        log.LogInformation("Measures of session {Session} computed in {Ms:0} ms", sessionId, System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        return report;
    }
}
