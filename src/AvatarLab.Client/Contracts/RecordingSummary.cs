namespace AvatarLab.Client.Contracts;

/// <summary>An uploaded recording and its files (GET /api/recordings).</summary>
public sealed record RecordingSummary(
    Guid Id,
    string Name,
    string Description,
    DateTime CreatedAt,
    double DurationSeconds,
    IReadOnlyList<RecordingFileSummary> Files);

/// <summary>One file of a recording: kind (AvatarAudio, UserAudio, UserVideo, UserMotion, Portrait) and what validation found.</summary>
public sealed record RecordingFileSummary(
    string Kind,
    string FileName,
    long Bytes,
    double? DurationSeconds,
    string Details,
    string? MotionSource);
