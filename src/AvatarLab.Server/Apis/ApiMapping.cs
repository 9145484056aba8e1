using AvatarLab.Client.Contracts;
using AvatarLab.Server.Data.Entities;

namespace AvatarLab.Server.Apis;

/// <summary>Entity -> contract conversions shared by the API and the pages.</summary>
public static class ApiMapping
{
    public static ModelSummary ToSummary(this ModelRecord m) => new(
        m.Id, m.Name, m.Version, m.Description, m.Origin.ToString(), m.LatentDim, m.Fps, m.BlockFrames, m.Layers,
        m.HasAttentionOutputs, m.RegisteredAt, m.LoadError, m.Archived, m.RegisteredById);

    public static RecordingSummary ToSummary(this Recording r) => new(
        r.Id, r.Name, r.Description, r.CreatedAt, r.DurationSeconds,
        [.. r.Files.OrderBy(f => f.Kind).Select(f => new RecordingFileSummary(
            f.Kind.ToString(), f.FileName, f.Bytes, f.DurationSeconds, f.Details, f.MotionSource?.ToString()))]);

    public static SessionSummary ToSummary(this Session s, Job? job) => new(
        s.Id, s.Name, s.Status.ToString(), s.Kind.ToString(), s.ModelId, s.Model?.Name ?? "", s.RecordingId, s.Recording?.Name,
        s.CreatedAt, s.StartedAt, s.FinishedAt, s.Sampler, s.Nfe, s.AvatarAudioScale, s.UserScale, s.Seed, s.Dropped, s.Schedule,
        s.Frames, s.MediaSeconds, s.ComputeP50Ms, s.ComputeP95Ms, s.RealTimeFactor, s.Device, s.DeviceReason, s.Error,
        job is null ? null : new JobSummary(job.Id, job.Status.ToString(), job.Progress, job.Stage, job.Attempts, job.EnqueuedAt, job.Error));
}
