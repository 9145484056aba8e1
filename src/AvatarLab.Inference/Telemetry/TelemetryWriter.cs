namespace AvatarLab.Inference.Telemetry;

/// <summary>Writes a run's telemetry in the avatarlab-telemetry/1 format, block by block as they complete.</summary>
public sealed class TelemetryWriter : IDisposable
{
    private readonly Stream _stream;
    private readonly bool _ownsStream;

    public TelemetryWriter(Stream stream, TelemetryHeader header, bool ownsStream = true)
    {
        _stream = stream;
        _ownsStream = ownsStream;
        _stream.Write(TelemetryFormat.Magic);
        TelemetryFormat.WriteRecord(_stream, header, [], []);
    }

    public void Write(BlockTelemetry block)
    {
        var arrays = new List<TelemetryArray>
        {
            new("timesteps", "f4", [block.Steps, block.CallFrames]),
            new("velocity_norms", "f4", [block.Steps, 4]),
            new("latents", "f4", [block.NewFrames, block.LatentDim]),
            new("guidance_effect", "f4", [block.Steps, block.NoisyFrames, 2]),
        };
        var halves = new List<Half[]>();
        var past = 0;
        var pastCross = 0;
        foreach (var a in block.Attention)
        {
            (past, pastCross) = (a.Past, a.PastCross);
            if (a.Self.Length > 0)
            {
                arrays.Add(new($"self_attention_{a.Step}", "f2", [a.Layers, a.Branches, a.Heads, a.Frames, a.SelfKeys]));
                halves.Add(a.Self);
            }

            if (a.Cross.Length > 0)
            {
                arrays.Add(new($"cross_attention_{a.Step}", "f2", [a.Layers, a.Branches, a.Heads, a.Frames, a.CrossKeys]));
                halves.Add(a.Cross);
            }
        }

        var t = block.Timings;
        var record = new BlockRecord
        {
            Block = block.BlockIndex,
            FirstFrame = block.FirstFrame,
            NewFrames = block.NewFrames,
            CallStart = block.CallStart,
            CallFrames = block.CallFrames,
            Steps = block.Steps,
            LateFrames = block.LateFrames,
            Timings = new StageRecord(t.InputWaitMs, t.QueueMs, t.FeaturesMs, t.DenoiseStepMs, t.CacheRefreshMs, t.RenderMs, t.EncodeMs, t.SendMs,
                t.CacheRefreshReusedFinalPass),
            AttentionSteps = block.Attention.Select(a => a.Step).ToArray(),
            Past = past,
            PastCross = pastCross,
            Arrays = arrays,
        };
        TelemetryFormat.WriteRecord(_stream, record, [block.Timesteps, block.VelocityNorms, block.Latents, block.GuidanceEffect], halves);
    }

    public void Flush() => _stream.Flush();

    public void Dispose()
    {
        _stream.Flush();
        if (_ownsStream)
        {
            _stream.Dispose();
        }
    }
}
