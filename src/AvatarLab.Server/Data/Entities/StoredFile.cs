namespace AvatarLab.Server.Data.Entities;

/// <summary>
/// A file in the content-addressed data folder: named by the SHA-256 of its bytes, so the same
/// upload twice is stored once and a row can never point at changed content.
/// </summary>
public sealed class StoredFile
{
    public required string Sha256 { get; set; }
    public long Bytes { get; set; }
    public DateTime CreatedAt { get; set; } = DateTime.UtcNow;
}
