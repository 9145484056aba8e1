using AvatarLab.Inference;
using AvatarLab.Inference.Sampling;
using AvatarLab.Inference.Telemetry;
using AvatarLab.Server.Tests.Support;
using AvatarLab.Server.Timeline;

namespace AvatarLab.Server.Tests.Charts;

/// <summary>
/// A real telemetry file: the 3-layer fixture package streamed over a few blocks with attention
/// captured, written to a temporary folder, and the session timeline read from it.
/// </summary>
public sealed class RecordedTimeline : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("avatarlab-timeline-").FullName;

    public RecordedTimeline(int blocks = 6, AttentionCapture attention = AttentionCapture.EveryStep)
    {
        using var model = AvatarModel.Open(RepoPaths.Fixture("tiny-3layer"));
        var shape = model.Shape;
        using var sampler = model.CreateStream(new SamplerOptions { Seed = 9, Attention = attention });
        var frames = model.Window.Clip + blocks * model.Window.Block;
        var rng = new Random(11);
        float[] Features(int dim) => Enumerable.Range(0, frames * dim).Select(_ => (float)rng.NextDouble()).ToArray();
        sampler.Push(Features(shape.AvatarAudioDim), Features(shape.UserAudioDim), Features(shape.UserMotionDim));
        Path = System.IO.Path.Combine(_folder, "run.altel");
        var header = new TelemetryHeader
        {
            Model = "tiny-3layer", ModelVersion = "1", Fps = 25, LatentDim = shape.LatentDim, Channels = [], Sampler = "AvatarForcing",
            Schedule = "Blockwise", Nfe = sampler.Nfe, AvatarAudioScale = 2, UserScale = 1, Seed = 9, Dropped = "", Device = "CPU",
        };
        using (var writer = new TelemetryWriter(File.Create(Path), header))
        {
            while (sampler.Next() is { } block)
            {
                writer.Write(block);
            }
        }

        Lookahead = model.Window.Lookahead;
        using var stream = File.OpenRead(Path);
        Timeline = new SessionTimeline(Guid.NewGuid(), TimelineSummary.Read(stream), Path, Lookahead, null, null);
    }

    public string Path { get; }

    public int Lookahead { get; }

    public SessionTimeline Timeline { get; }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
