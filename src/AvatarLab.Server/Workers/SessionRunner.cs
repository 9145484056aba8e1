using AvatarLab.Inference.Runs;
using AvatarLab.Inference.Sampling;
using AvatarLab.Inference.Telemetry;
using AvatarLab.Server.Data;
using AvatarLab.Server.Data.Entities;
using AvatarLab.Server.Hosting;
using AvatarLab.Server.Storage;
using AvatarLab.Server.Timeline;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AvatarLab.Server.Workers;

/// <summary>
/// Runs one session on the engine (OfflineRunner) and stores what it produced: the MP4, the
/// motion CSV, the telemetry file and run summary in the data folder, the per-block index and
/// the run's numbers in the database, and the timeline's cache entries (<see cref="TimelineCache"/>).
/// </summary>
public sealed class SessionRunner(
    IDbContextFactory<AvatarLabDbContext> dbFactory,
    ModelCatalog models,
    BlobStore store,
    SessionTimelines timelines,
    IOptions<InferenceWorkerOptions> options)
{
    public static SamplerOptions SamplerOptionsOf(Session s) => new()
    {
        Kind = Enum.Parse<SamplerKind>(s.Sampler),
        Nfe = s.Nfe,
        AvatarAudioScale = s.AvatarAudioScale,
        UserScale = s.UserScale,
        Seed = unchecked((ulong)s.Seed),
        Drop = ParseDropped(s.Dropped),
        Schedule = Enum.Parse<NoiseSchedule>(s.Schedule),
        StaggerSpread = s.StaggerSpread,
        Attention = Enum.Parse<AttentionCapture>(s.AttentionCapture),
        ClampToLatentRange = s.ClampToLatentRange,
    };

    public static DroppedConditions ParseDropped(string dropped) =>
        dropped.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Aggregate(DroppedConditions.None, (all, name) => all | Enum.Parse<DroppedConditions>(name));

    public async Task RunAsync(Guid sessionId, IProgress<RunProgress> progress, CancellationToken ct)
    {
        Session session;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            session = await db.Sessions.AsNoTracking().Include(s => s.Model).Include(s => s.Recording).ThenInclude(r => r!.Files)
                .FirstOrDefaultAsync(s => s.Id == sessionId, ct)
                ?? throw new InvalidOperationException($"session {sessionId} no longer exists");
        }

        if (session.Model is not { } modelRecord)
        {
            throw new InvalidOperationException("the session's model is no longer registered");
        }

        var model = models.Get(modelRecord);
        var files = session.Recording?.Files ?? [];
        string? PathOf(RecordingFileKind kind) => files.FirstOrDefault(f => f.Kind == kind) is { } f ? store.PathOf(f.Sha256) : null;

        var output = Path.Combine(store.Root, "tmp", "run-" + session.Id.ToString("N"));
        if (Directory.Exists(output))
        {
            Directory.Delete(output, recursive: true);
        }

        try
        {
            var request = new OfflineRunRequest
            {
                AvatarAudioPath = PathOf(RecordingFileKind.AvatarAudio),
                UserAudioPath = PathOf(RecordingFileKind.UserAudio),
                UserMotionPath = PathOf(RecordingFileKind.UserMotion),
                UserVideoPath = model.Package.MotionEncoder is not null ? PathOf(RecordingFileKind.UserVideo) : null,
                PortraitPath = PathOf(RecordingFileKind.Portrait),
                Sampler = SamplerOptionsOf(session),
                OutputDirectory = output,
                Render = RenderOutput.Mp4,
                FrameSize = options.Value.FrameSize,
            };
            var result = await OfflineRunner.RunAsync(model, request, progress, ct);
            await StoreAsync(session.Id, result, ct);
            // The timeline's summary and loudness, made now so that the session's first opening reads them instead.
            await timelines.PrepareAsync(session.Id, ct);
        }
        finally
        {
            if (Directory.Exists(output))
            {
                Directory.Delete(output, recursive: true);
            }
        }
    }

    private async Task StoreAsync(Guid sessionId, OfflineRunResult result, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var session = await db.Sessions.FirstAsync(s => s.Id == sessionId, ct);
        async Task<string?> Adopt(string key)
        {
            if (!result.Files.TryGetValue(key, out var path) || !File.Exists(path))
            {
                return null;
            }

            var stored = await store.AdoptAsync(path, ct);
            await BlobStore.TrackAsync(db, stored, ct);
            return stored.Sha256;
        }

        session.TelemetrySha256 = await Adopt("telemetry");
        session.MotionSha256 = await Adopt("motion");
        session.VideoSha256 = await Adopt("video");
        session.SummarySha256 = await Adopt("summary");
        session.Device = result.Device;
        session.DeviceReason = result.DeviceReason;
        session.Frames = result.Frames;
        session.Blocks = result.Blocks;
        session.MediaSeconds = result.MediaSeconds;
        session.ComputeP50Ms = result.BlockComputeMs[0];
        session.ComputeP95Ms = result.BlockComputeMs[1];
        session.ComputeP99Ms = result.BlockComputeMs[2];
        session.ComputeMaxMs = result.BlockComputeMs[3];
        session.RealTimeFactor = double.IsFinite(result.RealTimeFactor) ? result.RealTimeFactor : null;
        session.WallSeconds = result.WallSeconds;
        session.Nfe = result.Nfe;
        session.AvatarAudioScale = result.AvatarAudioScale;
        session.UserScale = result.UserScale;
        session.Notes = string.Join('\n', result.Notes);

        await db.SessionBlocks.Where(b => b.SessionId == sessionId).ExecuteDeleteAsync(ct);
        if (session.TelemetrySha256 is { } telemetry)
        {
            using var reader = new TelemetryReader(File.OpenRead(store.PathOf(telemetry)));
            foreach (var (block, offset, length) in reader.Index())
            {
                var t = block.Timings;
                db.SessionBlocks.Add(new SessionBlock
                {
                    SessionId = sessionId,
                    Index = block.Block,
                    FirstFrame = block.FirstFrame,
                    NewFrames = block.NewFrames,
                    DenoiseMs = t.DenoiseSteps.Sum(),
                    CacheRefreshMs = t.CacheRefresh,
                    FeaturesMs = t.Features,
                    RenderMs = t.Render,
                    ComputeMs = t.Features + t.DenoiseSteps.Sum() + t.CacheRefresh + t.Render + t.Encode + t.Send,
                    TelemetryOffset = offset,
                    TelemetryLength = length,
                });
            }
        }

        await db.SaveChangesAsync(ct);
    }
}
