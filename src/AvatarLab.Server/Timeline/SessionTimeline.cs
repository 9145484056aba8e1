using AvatarLab.Inference.Measures;
using AvatarLab.Inference.Telemetry;
using AvatarLab.Server.Components.Charts;

namespace AvatarLab.Server.Timeline;

/// <summary>
/// One finished session as its timeline shows it: the telemetry summary (schedule, attention
/// summaries, guidance effect, block timings), the generated and user motion, and random
/// access to any block's full record. Builds every chart's <see cref="ChartTable"/>.
/// </summary>
public sealed class SessionTimeline(
    Guid sessionId,
    TimelineSummary summary,
    string telemetryPath,
    int lookaheadFrames,
    MotionSeries? motion,
    MotionSeries? userMotion,
    SessionLoudness? loudness = null,
    Func<SessionMeasureReport?>? measures = null,
    string? contentKey = null)
{
    /// <summary>Guidance branches in telemetry order.</summary>
    public static readonly IReadOnlyList<string> BranchNames = ["none", "avatar audio", "user"];

    public Guid SessionId { get; } = sessionId;

    /// <summary>
    /// Names the content the timeline shows (the telemetry's SHA-256 where it came from the
    /// store): what the browser caches the timeline's figures and block views under.
    /// </summary>
    public string ContentKey { get; } = contentKey ?? sessionId.ToString("N");

    public TimelineSummary Summary { get; } = summary;

    public int Fps => Summary.Header.Fps;

    public int Frames => Summary.Frames;

    public double Seconds => (double)Frames / Fps;

    public MotionSeries? Motion { get; } = motion;

    public MotionSeries? UserMotion { get; } = userMotion;

    /// <summary>Both sides' loudness per frame in dB (null where there is no audio), for the motion chart.</summary>
    public SessionLoudness Loudness { get; } = loudness ?? new SessionLoudness(null, null);

    private readonly Lazy<Task<SessionMeasureReport?>> _measures =
        new(() => measures is null ? Task.FromResult<SessionMeasureReport?>(null) : Task.Run(measures));

    /// <summary>
    /// The session's reactivity measures (docs/measures.md), computed in the background on first
    /// use (SID's k-means takes seconds on a 10-minute session: the page asks once its charts are
    /// drawn); the result is null without generated motion.
    /// </summary>
    public Task<SessionMeasureReport?> Measures => _measures.Value;

    public LatencyStats Latency { get; } = LatencyStats.Of(summary.Blocks, summary.Header.Fps, lookaheadFrames);

    private (int Layers, int Heads)? _attentionShape;

    /// <summary>Layers and heads of the captured attention (read from the first block that has some; 0 and 0 without attention).</summary>
    public (int Layers, int Heads) AttentionShape => _attentionShape ??= Summary.Blocks.FirstOrDefault(b => b.AttentionSteps.Count > 0) is { } first
        && ReadBlock(first.Index).Attention.FirstOrDefault() is { } a ? (a.Layers, a.Heads) : (0, 0);

    /// <summary>Reads one block's whole record (schedule, attention of every captured pass) from the telemetry file.</summary>
    public BlockView ReadBlock(int index)
    {
        if (index < 0 || index >= Summary.Blocks.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(index), index, $"the session has blocks 0..{Summary.Blocks.Count - 1}");
        }

        return ReadBlocks(index, 1)[0];
    }

    /// <summary>
    /// Reads the whole records of blocks <paramref name="first"/>..<paramref name="first"/> +
    /// <paramref name="count"/> - 1 (cut at the last block) with one open file: what the session
    /// page's preload of every block's views asks for, a chunk at a time.
    /// </summary>
    public IReadOnlyList<BlockView> ReadBlocks(int first, int count)
    {
        if (first < 0 || first >= Summary.Blocks.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(first), first, $"the session has blocks 0..{Summary.Blocks.Count - 1}");
        }

        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        var end = (int)Math.Min((long)first + count, Summary.Blocks.Count);
        var views = new List<BlockView>(end - first);
        using var reader = new TelemetryReader(File.OpenRead(telemetryPath));
        for (var i = first; i < end; i++)
        {
            var block = Summary.Blocks[i];
            var (record, arrays) = reader.ReadBlockAt(block.Offset);
            views.Add(new BlockView(block, arrays["timesteps"], record.AttentionSteps.Select(s => BlockAttention.From(record, arrays, s)).ToList()));
        }

        return views;
    }

    /// <summary>How many frames <see cref="ScheduleTable"/> gives with at most <paramref name="maxFrames"/> (every k-th frame).</summary>
    public int ScheduleColumns(int maxFrames)
    {
        var stride = ScheduleStride(maxFrames);
        return (Frames + stride - 1) / stride;
    }

    private int ScheduleStride(int maxFrames) => Math.Max(1, (int)Math.Ceiling(Frames / (double)Math.Max(1, maxFrames)));

    /// <summary>
    /// Every frame's timestep at each pass of its own block, sampled to at most
    /// <paramref name="maxFrames"/> frames (every k-th frame) for drawing; exports pass no limit.
    /// </summary>
    public ChartTable ScheduleTable(int maxFrames = int.MaxValue)
    {
        var stride = ScheduleStride(maxFrames);
        var frames = Enumerable.Range(0, ScheduleColumns(maxFrames)).Select(i => i * stride).ToArray();
        var columns = new List<string> { "frame", "time_s", "block" };
        var values = new List<double[]>
        {
            frames.Select(f => (double)f).ToArray(),
            frames.Select(f => (double)f / Fps).ToArray(),
            frames.Select(f => (double)(Summary.BlockAt(f)?.Index ?? -1)).ToArray(),
        };
        for (var s = 0; s < Summary.Steps; s++)
        {
            columns.Add($"t_pass{s + 1}");
            values.Add(frames.Select(f => (double)Summary.Schedule[f * Summary.Steps + s]).ToArray());
        }

        return new ChartTable("schedule", columns, values);
    }

    /// <summary>Per frame: self-attention shares (last second, older) and cross-attention offset per branch, and the guidance effect.</summary>
    public ChartTable AttentionOverTimeTable()
    {
        var columns = new List<string> { "frame", "time_s" };
        var values = new List<double[]>
        {
            Enumerable.Range(0, Frames).Select(f => (double)f).ToArray(),
            Enumerable.Range(0, Frames).Select(f => (double)f / Fps).ToArray(),
        };
        void Add(string name, float[] source, int width, int column)
        {
            columns.Add(name);
            values.Add(Enumerable.Range(0, Frames).Select(f => (double)source[f * width + column]).ToArray());
        }

        for (var b = 0; b < BranchNames.Count; b++)
        {
            var tag = Tag(b);
            Add($"self_last_second_{tag}", Summary.RecentSelfShare, 3, b);
            Add($"self_older_{tag}", Summary.OlderSelfShare, 3, b);
            Add($"cross_offset_frames_{tag}", Summary.CrossOffset, 3, b);
        }

        Add("effect_avatar_audio", Summary.GuidanceEffect, 2, 0);
        Add("effect_user", Summary.GuidanceEffect, 2, 1);
        return new ChartTable("attention-over-time", columns, values);
    }

    public ChartTable LatencyTable()
    {
        var blocks = Summary.Blocks;
        double[] Of(Func<TimelineBlock, double> pick) => blocks.Select(pick).ToArray();
        return new ChartTable("latency",
            ["block", "first_frame", "new_frames", "time_s", "features_ms", "denoise_ms", "cache_refresh_ms", "render_ms", "encode_ms", "send_ms",
                "compute_ms", "budget_ms", "ready_s", "deadline_s", "late"],
            [
                Of(b => b.Index), Of(b => b.FirstFrame), Of(b => b.NewFrames), Of(b => (double)b.FirstFrame / Fps),
                Of(b => b.Timings.Features), Of(b => b.DenoiseMs), Of(b => b.Timings.CacheRefresh), Of(b => b.Timings.Render),
                Of(b => b.Timings.Encode), Of(b => b.Timings.Send), Of(b => b.ComputeMs), Of(b => 1000.0 * b.NewFrames / Fps),
                Latency.ReadySeconds.ToArray(), Latency.DeadlineSeconds.ToArray(), Latency.Late.Select(l => l ? 1.0 : 0.0).ToArray(),
            ]);
    }

    /// <summary>Every generated channel (named from the manifest) and, where there is one, every user channel.</summary>
    public ChartTable MotionTable()
    {
        var frames = Motion?.Frames ?? 0;
        var columns = new List<string> { "frame", "time_s" };
        var values = new List<double[]>
        {
            Enumerable.Range(0, frames).Select(f => (double)f).ToArray(),
            Enumerable.Range(0, frames).Select(f => (double)f / Fps).ToArray(),
        };
        for (var c = 0; c < (Motion?.Channels.Count ?? 0); c++)
        {
            columns.Add(Motion!.Channels[c]);
            values.Add(Enumerable.Range(0, frames).Select(f => (double)Motion[f, c]).ToArray());
        }

        if (UserMotion is { } user)
        {
            for (var c = 0; c < user.Channels.Count; c++)
            {
                columns.Add("user_" + user.Channels[c]);
                values.Add(Enumerable.Range(0, frames).Select(f => f < user.Frames ? user[f, c] : double.NaN).ToArray());
            }
        }

        void Column(string name, double[]? db)
        {
            if (db is not null)
            {
                columns.Add(name);
                values.Add(Enumerable.Range(0, frames).Select(f => f < db.Length ? db[f] : double.NaN).ToArray());
            }
        }

        Column("avatar_loudness_db", Loudness.AvatarDb);
        Column("user_loudness_db", Loudness.UserDb);
        return new ChartTable("motion", columns, values);
    }

    /// <summary>The block's call: every frame (context first) by pass, with its timestep.</summary>
    public static ChartTable BlockScheduleTable(BlockView view)
    {
        var b = view.Block;
        var columns = new List<string> { "frame", "context" };
        var values = new List<double[]>
        {
            Enumerable.Range(0, b.CallFrames).Select(i => (double)(b.CallStart + i)).ToArray(),
            Enumerable.Range(0, b.CallFrames).Select(i => b.CallStart + i < b.FirstFrame ? 1.0 : 0.0).ToArray(),
        };
        for (var s = 0; s < b.Steps; s++)
        {
            columns.Add($"t_pass{s + 1}");
            values.Add(Enumerable.Range(0, b.CallFrames).Select(i => (double)view.Timesteps[s * b.CallFrames + i]).ToArray());
        }

        return new ChartTable($"block-{b.Index}-schedule", columns, values);
    }

    /// <summary>Attention of one captured pass in long form: query frame, key frame, weight (mean over the selectors left null).</summary>
    public static ChartTable AttentionTable(BlockView view, AttentionKind kind, int step, int? layer, int? head, int? branch)
    {
        var a = view.AttentionAt(step);
        var keys = kind == AttentionKind.Self ? a.SelfKeys : a.CrossKeys;
        var matrix = kind == AttentionKind.Self ? a.SelfMatrix(layer, head, branch) : a.CrossMatrix(layer, head, branch);
        var query = new double[a.Frames * keys];
        var key = new double[query.Length];
        var weight = new double[query.Length];
        for (var q = 0; q < a.Frames; q++)
        {
            for (var k = 0; k < keys; k++)
            {
                var i = q * keys + k;
                query[i] = a.QueryFrame(q);
                key[i] = kind == AttentionKind.Self ? a.SelfKeyFrame(k) : a.CrossKeyFrame(k);
                weight[i] = matrix[i];
            }
        }

        var name = $"block-{view.Block.Index}-{(kind == AttentionKind.Self ? "self" : "cross")}-attention-pass{step + 1}"
            + $"-{(layer is { } l ? $"layer{l}" : "layers-mean")}-{(head is { } h ? $"head{h}" : "heads-mean")}-{(branch is { } br ? Tag(br) : "branches-mean")}";
        return new ChartTable(name, ["query_frame", "key_frame", "weight"], [query, key, weight]);
    }

    public static string Tag(int branch) => branch switch
    {
        0 => "none",
        1 => "avatar_audio",
        2 => "user",
        _ => throw new ArgumentOutOfRangeException(nameof(branch)),
    };
}

/// <summary>Loudness per video frame in dB of the avatar's and the user's audio (Inference.Measures.Loudness.Envelope).</summary>
public sealed record SessionLoudness(double[]? AvatarDb, double[]? UserDb);

public enum AttentionKind
{
    Self,
    Cross,
}

/// <summary>One block read back from telemetry: its timing row, its call's timesteps and its captured attention.</summary>
public sealed record BlockView(TimelineBlock Block, float[] Timesteps, IReadOnlyList<BlockAttention> Attention)
{
    public BlockAttention AttentionAt(int step) => Attention.FirstOrDefault(a => a.Step == step)
        ?? throw new KeyNotFoundException($"block {Block.Index} has no attention for pass {step + 1} (captured: "
            + (Attention.Count == 0 ? "none" : string.Join(", ", Attention.Select(a => a.Step + 1))) + ")");
}
