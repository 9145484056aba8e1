namespace AvatarLab.Bench.Streams;

/// <summary>One generated block as the benchmarks see it.</summary>
/// <param name="Index">Block index in its stream (0 = the first clip).</param>
/// <param name="FirstFrame">Absolute index of the block's first new frame.</param>
/// <param name="NewFrames">Frames the block produced.</param>
/// <param name="InputFramesNeeded">Input frames that had to exist before the block could start (its lookahead included).</param>
/// <param name="ComputeMs">Wall time of <c>StreamingSampler.Next()</c>: everything the sampler does for the block.</param>
/// <param name="NextAllocatedBytes">Managed bytes allocated on this thread by <c>Next()</c>.</param>
/// <param name="PushAllocatedBytes">Managed bytes allocated on this thread by pushing the block's input.</param>
internal readonly record struct TimedBlock(
    int Index,
    long FirstFrame,
    int NewFrames,
    long InputFramesNeeded,
    double ComputeMs,
    long NextAllocatedBytes,
    long PushAllocatedBytes);
