using AvatarLab.Inference.Sampling;
using AvatarLab.Inference.Telemetry;
using AvatarLab.Inference.Tests.Sampling;

namespace AvatarLab.Inference.Tests.Telemetry;

public class TelemetryIndexTests
{
    [Fact]
    public void Index_ThenReadBlockAt_ReturnsEachBlockAsSequentialReadingDoes()
    {
        // Arrange: a real stream of the 3-layer fixture, attention on, written to memory.
        using var model = AvatarModel.Open(GoldenCase.PackagePath("tiny-3layer"));
        var shape = model.Shape;
        using var sampler = model.CreateStream(new SamplerOptions { Seed = 3, Attention = AttentionCapture.FinalStep });
        var frames = model.Window.Clip + 4 * model.Window.Block;
        var rng = new Random(5);
        float[] Features(int dim) => Enumerable.Range(0, frames * dim).Select(_ => (float)rng.NextDouble()).ToArray();
        sampler.Push(Features(shape.AvatarAudioDim), Features(shape.UserAudioDim), Features(shape.UserMotionDim));
        var memory = new MemoryStream();
        var header = new TelemetryHeader
        {
            Model = "tiny-3layer", ModelVersion = "1", Fps = 25, LatentDim = shape.LatentDim, Channels = [], Sampler = "AvatarForcing",
            Schedule = "Blockwise", Nfe = sampler.Nfe, AvatarAudioScale = 2, UserScale = 1, Seed = 3, Dropped = "", Device = "CPU",
        };
        using (var writer = new TelemetryWriter(memory, header, ownsStream: false))
        {
            while (sampler.Next() is { } block)
            {
                writer.Write(block);
            }
        }

        // Act
        memory.Position = 0;
        var sequential = new TelemetryReader(new MemoryStream(memory.ToArray())).Blocks().ToList();
        using var indexed = new TelemetryReader(new MemoryStream(memory.ToArray()));
        var index = indexed.Index().ToList();

        // Assert: one entry per block, contiguous, and random access in reverse order matches.
        Assert.Equal(5, index.Count);
        Assert.Equal(memory.Length, index[^1].Offset + index[^1].Length);
        for (var i = 1; i < index.Count; i++)
        {
            Assert.Equal(index[i - 1].Offset + index[i - 1].Length, index[i].Offset);
        }

        for (var i = index.Count - 1; i >= 0; i--)
        {
            var (block, arrays) = indexed.ReadBlockAt(index[i].Offset);
            Assert.Equal(sequential[i].Block.Block, block.Block);
            Assert.Equal(sequential[i].Arrays.Keys.Order(), arrays.Keys.Order());
            Assert.Equal(sequential[i].Arrays["latents"], arrays["latents"]);
            Assert.True(block.Timings.CacheRefreshReusedFinalPass);
        }
    }
}
