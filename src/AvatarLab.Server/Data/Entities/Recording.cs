namespace AvatarLab.Server.Data.Entities;

/// <summary>Uploaded inputs of offline runs: the avatar's audio, the user's audio, video and motion, a portrait.</summary>
public sealed class Recording
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public required string Name { get; set; }
    public string Description { get; set; } = "";
    public string? OwnerId { get; set; }
    public DateTime CreatedAt { get; set; } = DateTime.UtcNow;

    /// <summary>Longest stream (seconds).</summary>
    public double DurationSeconds { get; set; }

    public List<RecordingFile> Files { get; set; } = [];
}
