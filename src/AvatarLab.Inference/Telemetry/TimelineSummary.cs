namespace AvatarLab.Inference.Telemetry;

/// <summary>One block of a run as the timeline shows it: where it sits, what it cost, where its record is.</summary>
public sealed record TimelineBlock(
    int Index,
    long FirstFrame,
    int NewFrames,
    long CallStart,
    int CallFrames,
    int Steps,
    int LateFrames,
    StageRecord Timings,
    IReadOnlyList<int> AttentionSteps,
    int Past,
    int PastCross,
    long Offset,
    int Length)
{
    public double DenoiseMs => Timings.DenoiseSteps.Sum();

    /// <summary>Compute spent on the block: every stage but waiting for input and queueing.</summary>
    public double ComputeMs => Timings.Features + DenoiseMs + Timings.CacheRefresh + Timings.Render + Timings.Encode + Timings.Send;

    public bool Contains(long frame) => frame >= FirstFrame && frame < FirstFrame + NewFrames;
}

/// <summary>
/// Everything a run's timeline needs per frame, computed in one pass over its telemetry:
/// the noise schedule of every frame in its own block, the attention summaries of the last
/// captured pass and the guidance effect, plus each block's place in the file for random
/// access (<see cref="TelemetryReader.ReadBlockAt"/>). Attention summaries average the
/// layers and heads and keep the three guidance branches (none, avatar audio, user).
/// Values a run did not record (attention capture off, files older than guidance_effect)
/// are NaN.
/// </summary>
public sealed partial class TimelineSummary
{
    public const int Branches = 3;

    private TimelineSummary(TelemetryHeader header, IReadOnlyList<TimelineBlock> blocks, int frames, int steps)
    {
        Header = header;
        Blocks = blocks;
        Frames = frames;
        Steps = steps;
        Schedule = Filled(frames * steps);
        RecentSelfShare = Filled(frames * Branches);
        OlderSelfShare = Filled(frames * Branches);
        CrossOffset = Filled(frames * Branches);
        GuidanceEffect = Filled(frames * 2);
    }

    public TelemetryHeader Header { get; }

    public IReadOnlyList<TimelineBlock> Blocks { get; }

    /// <summary>Generated frames: the end of the last block.</summary>
    public int Frames { get; }

    /// <summary>Denoising passes per block (the most any block ran).</summary>
    public int Steps { get; }

    /// <summary>[Frames, Steps]: the timestep t of each frame at each pass of its own block (1000 = pure noise, 0 = clean).</summary>
    public float[] Schedule { get; }

    /// <summary>
    /// [Frames, 3]: share of the frame's self-attention on frames 1 to fps frames before it
    /// ("the last second"), per guidance branch.
    /// </summary>
    public float[] RecentSelfShare { get; }

    /// <summary>[Frames, 3]: share of the frame's self-attention on frames more than a second before it.</summary>
    public float[] OlderSelfShare { get; }

    /// <summary>
    /// [Frames, 3]: where the frame's cross-attention looks, as the attention-weighted mean of
    /// (condition frame - frame): negative = the past, positive = the lookahead.
    /// </summary>
    public float[] CrossOffset { get; }

    /// <summary>
    /// [Frames, 2]: RMS over channels of v_avatar - v_none and v_user - v_none, averaged over
    /// the passes where the frame was noisy: how much each condition moves the frame.
    /// </summary>
    public float[] GuidanceEffect { get; }

    public bool HasAttention => Blocks.Any(b => b.AttentionSteps.Count > 0);

    /// <summary>The block that generated <paramref name="frame"/>, or null past the end.</summary>
    public TimelineBlock? BlockAt(long frame)
    {
        int lo = 0, hi = Blocks.Count - 1;
        while (lo <= hi)
        {
            var mid = (lo + hi) / 2;
            var b = Blocks[mid];
            if (frame < b.FirstFrame)
            {
                hi = mid - 1;
            }
            else if (frame >= b.FirstFrame + b.NewFrames)
            {
                lo = mid + 1;
            }
            else
            {
                return b;
            }
        }

        return null;
    }

    /// <summary>Reads a whole telemetry stream (seekable) and summarises it.</summary>
    public static TimelineSummary Read(Stream stream)
    {
        using var reader = new TelemetryReader(stream);
        var header = reader.Header;
        var index = reader.Index().ToList();
        var blocks = index.Select(e => new TimelineBlock(e.Block.Block, e.Block.FirstFrame, e.Block.NewFrames, e.Block.CallStart,
            e.Block.CallFrames, e.Block.Steps, e.Block.LateFrames, e.Block.Timings, e.Block.AttentionSteps, e.Block.Past,
            e.Block.PastCross, e.Offset, e.Length)).ToList();
        var frames = blocks.Count == 0 ? 0 : checked((int)blocks.Max(b => b.FirstFrame + b.NewFrames));
        var steps = blocks.Count == 0 ? 0 : blocks.Max(b => b.Steps);
        var summary = new TimelineSummary(header, blocks, frames, steps);
        foreach (var entry in index)
        {
            var (record, arrays) = reader.ReadBlockAt(entry.Offset);
            summary.Add(record, arrays);
        }

        return summary;
    }

    private void Add(BlockRecord record, IReadOnlyDictionary<string, float[]> arrays)
    {
        var firstNoisy = (int)(record.FirstFrame - record.CallStart);
        if (arrays.TryGetValue("timesteps", out var timesteps))
        {
            for (var f = 0; f < record.NewFrames; f++)
            {
                var frame = record.FirstFrame + f;
                for (var s = 0; s < record.Steps; s++)
                {
                    Schedule[frame * Steps + s] = timesteps[s * record.CallFrames + firstNoisy + f];
                }
            }
        }

        if (arrays.TryGetValue("guidance_effect", out var effect) && timesteps is not null)
        {
            var noisy = record.CallFrames - firstNoisy;
            for (var f = 0; f < record.NewFrames; f++)
            {
                double avatar = 0, user = 0;
                var passes = 0;
                for (var s = 0; s < record.Steps; s++)
                {
                    if (timesteps[s * record.CallFrames + firstNoisy + f] <= 0)
                    {
                        continue;
                    }

                    avatar += effect[(s * noisy + f) * 2];
                    user += effect[(s * noisy + f) * 2 + 1];
                    passes++;
                }

                var frame = record.FirstFrame + f;
                GuidanceEffect[frame * 2] = passes == 0 ? float.NaN : (float)(avatar / passes);
                GuidanceEffect[frame * 2 + 1] = passes == 0 ? float.NaN : (float)(user / passes);
            }
        }

        if (record.AttentionSteps.Length == 0)
        {
            return;
        }

        var step = record.AttentionSteps[^1];
        var view = BlockAttention.From(record, arrays, step);
        for (var f = 0; f < record.NewFrames; f++)
        {
            var frame = record.FirstFrame + f;
            var query = firstNoisy + f;
            for (var b = 0; b < Branches; b++)
            {
                if (view.HasSelf)
                {
                    double recent = 0, older = 0;
                    for (var k = 0; k < view.SelfKeys; k++)
                    {
                        var lag = frame - view.SelfKeyFrame(k);
                        if (lag < 1)
                        {
                            continue;
                        }

                        var w = view.SelfMean(b, query, k);
                        if (lag <= Header.Fps)
                        {
                            recent += w;
                        }
                        else
                        {
                            older += w;
                        }
                    }

                    RecentSelfShare[frame * Branches + b] = (float)recent;
                    OlderSelfShare[frame * Branches + b] = (float)older;
                }

                if (view.HasCross)
                {
                    double offset = 0, total = 0;
                    for (var k = 0; k < view.CrossKeys; k++)
                    {
                        var w = view.CrossMean(b, query, k);
                        offset += w * (view.CrossKeyFrame(k) - frame);
                        total += w;
                    }

                    CrossOffset[frame * Branches + b] = total > 0 ? (float)(offset / total) : float.NaN;
                }
            }
        }
    }

    private static float[] Filled(int length)
    {
        var a = new float[length];
        Array.Fill(a, float.NaN);
        return a;
    }
}
