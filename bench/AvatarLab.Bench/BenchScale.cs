namespace AvatarLab.Bench;

/// <summary>How long each benchmark runs: the full run the targets are judged on, or <c>--quick</c>.</summary>
internal sealed record BenchScale(
    bool Quick,
    int WarmupBlocks,
    int MeasuredBlocks,
    int CompareBlocks,
    double LatencyStreamSeconds,
    int AllocationEarlyStart,
    int AllocationLateStart,
    int AllocationBlocks,
    double LongStreamSeconds)
{
    /// <summary>
    /// The full run. 20 warm-up blocks let ONNX Runtime plan each call shape and the JIT reach
    /// its optimized tier; 300 measured blocks put about 15 samples beyond the p95 and 3 beyond
    /// the p99; blocks 1000..1099 of the allocation check are 400 s into a stream of 10-frame
    /// blocks; the long stream is the hour a dashboard session must last (avatar-forcing.md).
    /// </summary>
    public static BenchScale Full { get; } = new(
        Quick: false,
        WarmupBlocks: 20,
        MeasuredBlocks: 300,
        CompareBlocks: 300,
        LatencyStreamSeconds: 120,
        AllocationEarlyStart: 100,
        AllocationLateStart: 1000,
        AllocationBlocks: 100,
        LongStreamSeconds: 3600);

    /// <summary>
    /// <c>--quick</c>: the per-block statistics keep their 300 blocks (the target is defined on
    /// them); the rest shrink, the long stream to 6 minutes.
    /// </summary>
    public static BenchScale QuickRun { get; } = Full with
    {
        Quick = true,
        CompareBlocks = 100,
        LatencyStreamSeconds = 30,
        AllocationLateStart = 500,
        LongStreamSeconds = 360,
    };
}
