namespace AvatarLab.Server.Components.Charts;

/// <summary>Stage timings of one block (from the session's block index).</summary>
public sealed record BlockTiming(int Index, long FirstFrame, int NewFrames, double ComputeMs, double FeaturesMs, double DenoiseMs,
    double CacheRefreshMs, double RenderMs);
