using AvatarLab.Inference.Measures;
using AvatarLab.Inference.Motion;
using AvatarLab.Inference.Packages;
using AvatarLab.Inference.Runs;
using AvatarLab.Server.Components.Charts;
using AvatarLab.Server.Data;
using AvatarLab.Server.Data.Entities;
using AvatarLab.Server.Storage;
using Microsoft.EntityFrameworkCore;

namespace AvatarLab.Server.Timeline;

/// <summary>
/// Loads finished sessions' timelines (the saved telemetry summary and loudness from
/// <see cref="TimelineCache"/>, the motion CSVs) and keeps the most recently used few in memory,
/// so that reopening a session or exporting its charts reads nothing again. Keyed by session and
/// telemetry content, never stale.
/// </summary>
public sealed class SessionTimelines(IDbContextFactory<AvatarLabDbContext> dbFactory, BlobStore store, TimelineCache cache, ILogger<SessionTimelines> log)
{
    private const int Capacity = 6;
    private readonly Lock _gate = new();
    private readonly LinkedList<(Guid Id, string Sha, Task<SessionTimeline> Load)> _recent = [];

    /// <summary>
    /// The loaded timeline of the session whose content key (<see cref="SessionTimeline.ContentKey"/>)
    /// is <paramref name="contentKey"/>, without asking the database: what the browser's requests
    /// for figures and block views use, since they name the content they want. Null when it is
    /// not loaded (or still loading): ask <see cref="GetAsync"/>.
    /// </summary>
    public SessionTimeline? Loaded(Guid sessionId, string? contentKey)
    {
        if (contentKey is null)
        {
            return null;
        }

        lock (_gate)
        {
            foreach (var (id, sha, load) in _recent)
            {
                if (id == sessionId && sha == contentKey && load.IsCompletedSuccessfully)
                {
                    return load.Result;
                }
            }
        }

        return null;
    }

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
                Remember(sessionId, sha, load);
            }
        }

        return await load.WaitAsync(ct);
    }

    private SessionTimeline Load(Session session, string telemetrySha)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var summary = cache.Summary(telemetrySha);
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
        if (session.Model?.LatentDim == 12 && UserMotionSha(session) is { } userSha && store.Exists(userSha))
        {
            user = MotionSeries.From(MotionTrackReader.Read(store.PathOf(userSha), null, fps));
        }

        var sampleRate = manifest?.SampleRate ?? 16000;
        var avatarAudio = AudioSha(session, RecordingFileKind.AvatarAudio);
        var userAudio = AudioSha(session, RecordingFileKind.UserAudio);
        var loudness = new SessionLoudness(
            avatarAudio is null ? null : cache.Loudness(avatarAudio, sampleRate, fps),
            userAudio is null ? null : cache.Loudness(userAudio, sampleRate, fps));
        var faceParams = manifest?.Latent.Space == "face-params/1";
        // Saved when the run finished (PrepareAsync); otherwise computed, and saved, when the page
        // asks, once its charts are drawn. The audio is decoded only for them.
        Func<SessionMeasureReport?>? measures = motion is null || session.MotionSha256 is not { } generatedSha
            ? null
            : () =>
            {
                var key = TimelineCache.MeasuresKey(generatedSha, user is null ? null : UserMotionSha(session), avatarAudio, userAudio, fps, sampleRate, faceParams);
                if (cache.SavedMeasures(key) is { } saved)
                {
                    return saved;
                }

                var report = Measure(session.Id, motion, user, avatarAudio is null ? null : cache.DecodeAudio(avatarAudio, sampleRate),
                    userAudio is null ? null : cache.DecodeAudio(userAudio, sampleRate), fps, sampleRate, faceParams);
                cache.SaveMeasures(key, report);
                return report;
            };
        var timeline = new SessionTimeline(session.Id, summary, store.PathOf(telemetrySha), manifest?.Window.LookaheadFrames ?? 0, motion, user, loudness,
            measures, telemetrySha);
        log.LogInformation("Timeline of session {Session}: {Frames} frames, {Blocks} blocks, loaded in {Ms:0} ms (summary {SummaryMs:0} ms)",
            session.Id, summary.Frames, summary.Blocks.Count, System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds, summaryMs);
        // The figures, while the browser starts the page (it asks for them as soon as it attaches).
        _ = Task.Run(() => TimelineFigures.Json(timeline));
        return timeline;
    }

    /// <summary>
    /// Makes the cache entries a session's timeline reads (its telemetry's summary, both sides'
    /// loudness, its measures) and keeps the timeline loaded, so that its first opening does not:
    /// the worker calls this when a run has stored its files. Never throws for a cache problem or
    /// a measure that cannot be computed (the timeline makes them again, or says why).
    /// </summary>
    public async Task PrepareAsync(Guid sessionId, CancellationToken ct)
    {
        Session? session;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            session = await db.Sessions.AsNoTracking().Include(s => s.Model).Include(s => s.Recording).ThenInclude(r => r!.Files)
                .FirstOrDefaultAsync(s => s.Id == sessionId, ct);
        }

        if (session is not { TelemetrySha256: { } sha } || !store.Exists(sha))
        {
            return;
        }

        await Task.Run(async () =>
        {
            try
            {
                // Loading makes the summary and loudness entries; the measures then too (seconds of
                // one core for a long session), so that neither the first visit waits for them nor
                // anyone's page loses a core to them while it opens. The timeline stays loaded for
                // that first visit.
                var timeline = Load(session, sha);
                await timeline.Measures.WaitAsync(ct);
                lock (_gate)
                {
                    if (!_recent.Any(r => r.Id == sessionId && r.Sha == sha))
                    {
                        Remember(sessionId, sha, Task.FromResult(timeline));
                    }
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Best effort: the run has succeeded whatever happens here, and the timeline (or its
                // measures) will be made, or say why not, when the session is opened.
                log.LogWarning("Timeline of session {Session} not prepared: {Error}", sessionId, e.Message);
            }
        }, ct);
    }

    // The caller holds _gate: the newest first, the least recently used beyond Capacity dropped.
    private void Remember(Guid sessionId, string sha, Task<SessionTimeline> load)
    {
        _recent.AddFirst((sessionId, sha, load));
        while (_recent.Count > Capacity)
        {
            _recent.RemoveLast();
        }
    }

    private static string? AudioSha(Session session, RecordingFileKind kind) =>
        session.Recording?.Files.FirstOrDefault(f => f.Kind == kind)?.Sha256;

    private static string? UserMotionSha(Session session) =>
        session.Recording?.Files.FirstOrDefault(f => f.Kind == RecordingFileKind.UserMotion)?.Sha256;

    private SessionMeasureReport Measure(Guid sessionId, MotionSeries motion, MotionSeries? user, float[]? avatarAudio, float[]? userAudio,
        int fps, int sampleRate, bool faceParams)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var report = SessionMeasures.Compute(motion.Values, motion.Channels.Count, user?.Values, avatarAudio, userAudio, fps, sampleRate, faceParams);
        log.LogInformation("Measures of session {Session} computed in {Ms:0} ms", sessionId, System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        return report;
    }
}
