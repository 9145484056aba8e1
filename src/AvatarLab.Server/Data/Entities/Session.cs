namespace AvatarLab.Server.Data.Entities;

public enum SessionKind
{
    /// <summary>A recording run on the inference worker.</summary>
    Offline,
}

public enum SessionStatus
{
    Queued,
    Running,
    Succeeded,
    Failed,
    Cancelled,
}

/// <summary>
/// One generation run: which model, on which inputs, with which sampler settings, and what
/// came of it (status, device, timings, artifacts). Live sessions will be the same row with
/// another kind.
/// </summary>
public sealed class Session
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public required string Name { get; set; }
    public SessionKind Kind { get; set; } = SessionKind.Offline;
    public SessionStatus Status { get; set; } = SessionStatus.Queued;
    public string? OwnerId { get; set; }
    public Guid? RecordingId { get; set; }
    public Recording? Recording { get; set; }
    public Guid ModelId { get; set; }
    public ModelRecord? Model { get; set; }
    public DateTime CreatedAt { get; set; } = DateTime.UtcNow;
    public DateTime? StartedAt { get; set; }
    public DateTime? FinishedAt { get; set; }

    // Sampler settings (SamplerOptions), as chosen in the run dialog.
    public string Sampler { get; set; } = "AvatarForcing";
    public int? Nfe { get; set; }
    public double? AvatarAudioScale { get; set; }
    public double? UserScale { get; set; }
    public long Seed { get; set; }

    /// <summary>Comma-separated dropped conditions (UserAudio, UserMotion, AvatarAudio); empty for none.</summary>
    public string Dropped { get; set; } = "";

    public string Schedule { get; set; } = "Blockwise";
    public double StaggerSpread { get; set; } = 0.5;

    /// <summary>Which passes record attention (SamplerOptions.Attention): FinalStep, EveryStep or Off.</summary>
    public string AttentionCapture { get; set; } = "FinalStep";

    /// <summary>SamplerOptions.ClampToLatentRange as asked for; null = the model's manifest.</summary>
    public bool? ClampToLatentRange { get; set; }

    // What the worker recorded.
    public string? Error { get; set; }
    public string? Device { get; set; }
    public string? DeviceReason { get; set; }
    public int Frames { get; set; }
    public int Blocks { get; set; }
    public double MediaSeconds { get; set; }
    public double? ComputeP50Ms { get; set; }
    public double? ComputeP95Ms { get; set; }
    public double? ComputeP99Ms { get; set; }
    public double? ComputeMaxMs { get; set; }
    public double? RealTimeFactor { get; set; }
    public double? WallSeconds { get; set; }

    /// <summary>The run's notes (dropped streams, resampling, unfilled last block), one per line.</summary>
    public string Notes { get; set; } = "";

    // Artifacts in the data folder (SHA-256 of StoredFile).
    public string? VideoSha256 { get; set; }
    public string? MotionSha256 { get; set; }
    public string? TelemetrySha256 { get; set; }
    public string? SummarySha256 { get; set; }

    public List<SessionBlock> BlockIndex { get; set; } = [];
}
