using System.Diagnostics;
using AvatarLab.Inference.Sampling;

namespace AvatarLab.Bench.Streams;

/// <summary>
/// Drives one stream the way the live loop does (push whole input frames, then take the block),
/// but pushes exactly the input the next block needs, so every <c>Next()</c> generates a block
/// and its time is pure compute.
/// </summary>
internal sealed class StreamDriver(StreamingSampler sampler, ConditionFeed feed)
{
    public StreamingSampler Sampler => sampler;

    /// <summary>Pushes the next block's input and generates the block, timing and counting allocations of both.</summary>
    public TimedBlock Next()
    {
        var needs = sampler.NextBlockNeeds;
        var beforePush = GC.GetAllocatedBytesForCurrentThread();
        feed.PushUntil(sampler, needs);
        var beforeNext = GC.GetAllocatedBytesForCurrentThread();
        var started = Stopwatch.GetTimestamp();
        var block = sampler.Next()
            ?? throw new InvalidOperationException($"block {sampler.BlocksGenerated} was not ready after pushing {needs} frames");
        var elapsed = Stopwatch.GetElapsedTime(started);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - beforeNext;
        return new TimedBlock(block.BlockIndex, block.FirstFrame, block.NewFrames, needs,
            elapsed.TotalMilliseconds, allocated, beforeNext - beforePush);
    }

    /// <summary>Generates <paramref name="blocks"/> blocks, discarding the measurements (warm-up).</summary>
    public void Skip(int blocks)
    {
        for (var i = 0; i < blocks; i++)
        {
            Next();
        }
    }

    /// <summary>Compute milliseconds of the next <paramref name="blocks"/> blocks.</summary>
    public double[] ComputeMs(int blocks)
    {
        var times = new double[blocks];
        for (var i = 0; i < blocks; i++)
        {
            times[i] = Next().ComputeMs;
        }

        return times;
    }
}
