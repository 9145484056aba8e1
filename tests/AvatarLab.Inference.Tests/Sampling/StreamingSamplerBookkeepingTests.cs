using AvatarLab.Inference.Sampling;

namespace AvatarLab.Inference.Tests.Sampling;

public class StreamingSamplerBookkeepingTests
{
    private static readonly DenoiserShape _shape = new(12, 8, 8, 12, 2, 2, 4, 1000, false, false);
    private static readonly StreamWindow _window = new(Clip: 50, Block: 10, Context: 2, Lookahead: 2, SelfCache: 38, CrossCache: 2);

    private static StreamingSampler Sampler(IDenoiser denoiser, SamplerOptions? options = null) =>
        new(denoiser, _window, 1000, 10, 2.0, 1.0, options ?? new SamplerOptions { Attention = AttentionCapture.Off });

    private static void PushFrames(StreamingSampler sampler, int frames, float value = 0.5f)
    {
        sampler.Push(Filled(frames * 8, value), Filled(frames * 8, value), Filled(frames * 12, value));
    }

    private static float[] Filled(int n, float value) => Enumerable.Repeat(value, n).ToArray();

    [Fact]
    public void Next_BeforeTheFirstClipArrives_ReturnsNull()
    {
        var sampler = Sampler(new PositionEchoDenoiser(_shape));
        PushFrames(sampler, 49);
        Assert.Null(sampler.Next());
        PushFrames(sampler, 1);
        var block = sampler.Next();
        Assert.NotNull(block);
        Assert.Equal((0L, 50), (block.FirstFrame, block.NewFrames));
    }

    [Fact]
    public void Cache_AfterEachBlock_HoldsThePositionsBeforeTheNextCallsContext()
    {
        var denoiser = new PositionEchoDenoiser(_shape);
        var sampler = Sampler(denoiser);
        PushFrames(sampler, 50 + 3 * 10);
        while (sampler.Next() is not null)
        {
        }

        // Calls: 9 passes per block, first clip included; the last pass of each (all frames at
        // t = 0) is also the cache refresh, so no tenth call.
        Assert.Equal(36, denoiser.Calls.Count);
        var secondBlock = denoiser.Calls[9];
        Assert.Equal(48, secondBlock.Start);
        Assert.Equal(12, secondBlock.Frames);
        Assert.Equal(Enumerable.Range(10, 38).Select(p => (float)p), secondBlock.PastPositions);
        Assert.Equal([46f, 47f], secondBlock.PastCrossPositions);
        var thirdBlock = denoiser.Calls[18];
        Assert.Equal(58, thirdBlock.Start);
        Assert.Equal(Enumerable.Range(20, 38).Select(p => (float)p), thirdBlock.PastPositions);
        Assert.Equal([56f, 57f], thirdBlock.PastCrossPositions);
    }

    [Fact]
    public void Timesteps_ContextFramesAreZero_NewFramesFollowTheOfficialList()
    {
        var denoiser = new PositionEchoDenoiser(_shape);
        var sampler = Sampler(denoiser);
        PushFrames(sampler, 60);
        sampler.Next();
        var block = sampler.Next()!;
        Assert.Equal(9, block.Steps);
        for (var step = 0; step < 9; step++)
        {
            Assert.Equal(0f, block.Timestep(step, 0));
            Assert.Equal(0f, block.Timestep(step, 1));
            Assert.Equal((float)(1000 - 125 * step), block.Timestep(step, 2));
            Assert.Equal((float)(1000 - 125 * step), block.Timestep(step, 11));
        }

        // The last pass runs every frame at t = 0, and the cache refresh reuses it.
        Assert.Equal(18, denoiser.Calls.Count);
        Assert.All(denoiser.Calls[17].T, t => Assert.Equal(0f, t));
        Assert.True(block.Timings.CacheRefreshReusedFinalPass);
    }

    [Fact]
    public void Recomputed_LaterBlocks_CallAClipLongWindowWithoutCache()
    {
        var denoiser = new PositionEchoDenoiser(_shape);
        var sampler = Sampler(denoiser, new SamplerOptions { Kind = SamplerKind.Recomputed, Attention = AttentionCapture.Off });
        PushFrames(sampler, 70);
        while (sampler.Next() is not null)
        {
        }

        Assert.Equal(27, denoiser.Calls.Count); // 9 passes per block, no refresh
        var call = denoiser.Calls[9];
        Assert.Equal((10L, 50), (call.Start, call.Frames));
        Assert.Empty(call.PastPositions);
        Assert.Equal(0f, call.T[39]);
        Assert.Equal(1000f, call.T[40]);
    }

    [Fact]
    public void WindowedBaseline_WaitsForTheWholeWindow_ThenUsesItsContext()
    {
        var denoiser = new PositionEchoDenoiser(_shape);
        var sampler = Sampler(denoiser, new SamplerOptions { Kind = SamplerKind.WindowedBaseline, Attention = AttentionCapture.Off });
        PushFrames(sampler, 74);
        Assert.Null(sampler.Next());
        PushFrames(sampler, 76);
        var first = sampler.Next()!;
        Assert.Equal((0L, 75), (first.FirstFrame, first.NewFrames));
        var second = sampler.Next()!;
        Assert.Equal((75L, 75, 65L, 85), (second.FirstFrame, second.NewFrames, second.CallStart, second.CallFrames));
    }

    [Fact]
    public void LongStream_KeepsBoundedHistory_AndConstantCallSizes()
    {
        var denoiser = new PositionEchoDenoiser(_shape);
        var sampler = Sampler(denoiser);
        for (var i = 0; i < 500; i++)
        {
            PushFrames(sampler, 10);
            while (sampler.Next() is not null)
            {
            }
        }

        Assert.Equal(5000, sampler.FramesGenerated);
        var last = denoiser.Calls[^1];
        Assert.Equal(4988, last.Start);
        Assert.Equal(Enumerable.Range(4950, 38).Select(p => (float)p), last.PastPositions);
    }

    [Fact]
    public void Staggered_EarlierFramesRunAhead_AndAllEndClean()
    {
        var denoiser = new PositionEchoDenoiser(_shape);
        var sampler = Sampler(denoiser, new SamplerOptions { Schedule = NoiseSchedule.Staggered, Attention = AttentionCapture.Off });
        PushFrames(sampler, 60);
        sampler.Next();
        var block = sampler.Next()!;
        Assert.True(block.Timestep(4, 2) < block.Timestep(4, 11));
        Assert.Equal(1000f, block.Timestep(0, 2));
        Assert.Equal(0f, block.Timestep(8, 2));
        Assert.Equal(0f, block.Timestep(8, 11));
    }
}
