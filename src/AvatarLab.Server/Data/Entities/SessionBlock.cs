namespace AvatarLab.Server.Data.Entities;

/// <summary>
/// One block of a session: the stage timings the lists and charts query, and where the block's
/// full telemetry record (schedule, attention, latents, velocity norms) sits inside the session's
/// .altel file. Numbers stay in the file; the database holds one row per block, not per number.
/// </summary>
public sealed class SessionBlock
{
    public Guid SessionId { get; set; }
    public int Index { get; set; }
    public long FirstFrame { get; set; }
    public int NewFrames { get; set; }
    public double ComputeMs { get; set; }
    public double DenoiseMs { get; set; }
    public double CacheRefreshMs { get; set; }
    public double FeaturesMs { get; set; }
    public double RenderMs { get; set; }

    /// <summary>Byte offset and length of the block's record in the telemetry file.</summary>
    public long TelemetryOffset { get; set; }

    public int TelemetryLength { get; set; }
}
