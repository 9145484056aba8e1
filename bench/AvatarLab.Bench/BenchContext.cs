using AvatarLab.Bench.Streams;
using AvatarLab.Inference;
using AvatarLab.Inference.Sampling;

namespace AvatarLab.Bench;

/// <summary>The loaded model and the run's sizes, shared by every benchmark.</summary>
internal sealed class BenchContext(AvatarModel model, BenchScale scale)
{
    /// <summary>Seed of the condition features; samplers compared with each other get the same features.</summary>
    private const int FeatureSeed = 20260101;

    /// <summary>
    /// The official inference defaults (avatar-forcing.md): Avatar Forcing with the cache, NFE 10,
    /// 3-way guidance at the manifest's scales, blockwise schedule, attention capture FinalStep.
    /// NFE is pinned rather than taken from the manifest because the targets are defined at NFE 10.
    /// </summary>
    public static SamplerOptions DefaultOptions { get; } = new() { Nfe = 10, Seed = 1 };

    public AvatarModel Model => model;
    public BenchScale Scale => scale;
    public int Fps => model.Manifest.Fps;
    public StreamWindow Window => model.Window;

    /// <summary>Media duration of one block in milliseconds (block frames / fps).</summary>
    public double BlockMediaMs => Window.Block * 1000.0 / Fps;

    /// <summary>A new stream from the shared model, fed with the shared features.</summary>
    public StreamDriver CreateDriver(SamplerOptions options) =>
        new(model.CreateStream(options), new ConditionFeed(model.Shape, FeatureSeed));

    /// <summary>Avatar Forcing blocks in a stream of <paramref name="seconds"/> of input (the first clip counts as one).</summary>
    public int BlocksIn(double seconds)
    {
        var frames = (long)Math.Round(seconds * Fps);
        return frames < Window.Clip ? 0 : checked((int)(1 + (frames - Window.Clip) / Window.Block));
    }
}
