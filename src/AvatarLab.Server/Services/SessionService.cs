using AvatarLab.Client.Contracts;
using AvatarLab.Inference.Sampling;
using AvatarLab.Server.Data;
using AvatarLab.Server.Data.Entities;
using AvatarLab.Server.Workers;
using Microsoft.EntityFrameworkCore;

namespace AvatarLab.Server.Services;

/// <summary>Creates sessions from run requests (the run dialog and POST /api/sessions) and queues them.</summary>
public sealed class SessionService(IDbContextFactory<AvatarLabDbContext> dbFactory, JobQueue queue)
{
    /// <summary>Checks a run request and queues it; the message of an <see cref="UploadException"/> names the bad field.</summary>
    public async Task<Session> CreateAsync(RunRequest request, string? ownerId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var model = await db.Models.FirstOrDefaultAsync(m => m.Id == request.ModelId, ct)
            ?? throw new UploadException($"model {request.ModelId} is not registered", StatusCodes.Status404NotFound);
        if (model.LoadError is not null)
        {
            throw new UploadException($"model {model.Name} does not load: {model.LoadError}");
        }

        if (model.Archived)
        {
            throw new UploadException($"model {model.Name} {model.Version} is archived: restore it (models page, or POST /api/models/{model.Id}/restore) to run it",
                StatusCodes.Status409Conflict);
        }

        var recording = await db.Recordings.FirstOrDefaultAsync(r => r.Id == request.RecordingId, ct)
            ?? throw new UploadException($"recording {request.RecordingId} does not exist", StatusCodes.Status404NotFound);
        if (!Enum.TryParse<SamplerKind>(request.Sampler, ignoreCase: true, out var sampler))
        {
            throw new UploadException($"sampler '{request.Sampler}' is unknown (AvatarForcing, Recomputed, WindowedBaseline)");
        }

        if (!Enum.TryParse<AttentionCapture>(request.Attention, ignoreCase: true, out var attention) || !Enum.IsDefined(attention))
        {
            throw new UploadException($"attention '{request.Attention}' is unknown (FinalStep, EveryStep, Off)");
        }

        if (!Enum.TryParse<NoiseSchedule>(request.Schedule, ignoreCase: true, out var schedule))
        {
            throw new UploadException($"schedule '{request.Schedule}' is unknown (Blockwise, Staggered)");
        }

        if (request.ClampToLatentRange == true
            && AvatarLab.Inference.Packages.ManifestReader.Parse(model.ManifestJson).Latent.Space != AvatarLab.Inference.Packages.LatentSpec.FaceParams)
        {
            throw new UploadException($"model {model.Name} has an opaque latent: the range clamp needs face-params/1");
        }

        if (request.Nfe is < 3 or > 1000)
        {
            throw new UploadException($"NFE must be 3..1000, got {request.Nfe}");
        }

        if (request.AvatarAudioScale is { } a && !double.IsFinite(a) || request.UserScale is { } u && !double.IsFinite(u))
        {
            throw new UploadException("guidance scales must be finite numbers");
        }

        if (request.StaggerSpread is < 0 or > 10)
        {
            throw new UploadException($"stagger spread must be 0..10, got {request.StaggerSpread}");
        }

        var dropped = DroppedConditions.None;
        foreach (var name in request.Dropped)
        {
            dropped |= Enum.TryParse<DroppedConditions>(name, ignoreCase: true, out var flag) && flag is DroppedConditions.AvatarAudio or DroppedConditions.UserAudio or DroppedConditions.UserMotion
                ? flag
                : throw new UploadException($"condition '{name}' is unknown (AvatarAudio, UserAudio, UserMotion)");
        }

        var session = new Session
        {
            Name = string.IsNullOrWhiteSpace(request.Name) ? $"{recording.Name} · {model.Name}" : request.Name.Trim(),
            OwnerId = ownerId,
            RecordingId = recording.Id,
            ModelId = model.Id,
            Sampler = sampler.ToString(),
            Nfe = request.Nfe,
            AvatarAudioScale = request.AvatarAudioScale,
            UserScale = request.UserScale,
            Seed = request.Seed ?? Random.Shared.NextInt64(0, int.MaxValue),
            Dropped = string.Join(',', Enum.GetValues<DroppedConditions>()
                .Where(f => f is DroppedConditions.AvatarAudio or DroppedConditions.UserAudio or DroppedConditions.UserMotion && dropped.HasFlag(f))),
            Schedule = schedule.ToString(),
            AttentionCapture = attention.ToString(),
            ClampToLatentRange = request.ClampToLatentRange,
            StaggerSpread = request.StaggerSpread ?? 0.5,
        };
        db.Sessions.Add(session);
        await db.SaveChangesAsync(ct);
        await queue.EnqueueAsync(session.Id, ct);
        return session;
    }
}
