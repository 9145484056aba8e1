namespace AvatarLab.Client.Contracts;

/// <summary>A session (a run) as lists show it (GET /api/sessions).</summary>
public sealed record SessionSummary(
    Guid Id,
    string Name,
    string Status,
    string Kind,
    Guid ModelId,
    string ModelName,
    Guid? RecordingId,
    string? RecordingName,
    DateTime CreatedAt,
    DateTime? StartedAt,
    DateTime? FinishedAt,
    string Sampler,
    int? Nfe,
    double? AvatarAudioScale,
    double? UserScale,
    long Seed,
    string Dropped,
    string Schedule,
    int Frames,
    double MediaSeconds,
    double? ComputeP50Ms,
    double? ComputeP95Ms,
    double? RealTimeFactor,
    string? Device,
    string? DeviceReason,
    string? Error,
    JobSummary? Job);

/// <summary>The session's latest job on the worker's queue.</summary>
public sealed record JobSummary(Guid Id, string Status, double Progress, string Stage, int Attempts, DateTime EnqueuedAt, string? Error);
