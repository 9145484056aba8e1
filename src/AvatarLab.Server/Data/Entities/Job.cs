namespace AvatarLab.Server.Data.Entities;

public enum JobStatus
{
    Queued,
    Running,
    Succeeded,
    Failed,
    Cancelled,
}

/// <summary>
/// An entry of the inference worker's persistent queue: runs one session. A job found Running
/// at start (the server stopped under it) goes back to Queued.
/// </summary>
public sealed class Job
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public Guid SessionId { get; set; }
    public Session? Session { get; set; }
    public JobStatus Status { get; set; } = JobStatus.Queued;
    public int Attempts { get; set; }
    public DateTime EnqueuedAt { get; set; } = DateTime.UtcNow;
    public DateTime? StartedAt { get; set; }
    public DateTime? FinishedAt { get; set; }

    /// <summary>0..1 of the frames the inputs allow.</summary>
    public double Progress { get; set; }

    public string Stage { get; set; } = "";
    public string? Error { get; set; }
    public bool CancelRequested { get; set; }
}
