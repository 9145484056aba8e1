namespace AvatarLab.Inference.Telemetry;

/// <summary>
/// The attention of one captured denoising pass of a block, read back from telemetry:
/// self [L, 3, H, N, P + N] and cross [L, 3, H, N, Pc + N] (docs/telemetry.md), with the
/// absolute frame of every query and key, and averages over any of layer, head and branch.
/// </summary>
public sealed class BlockAttention
{
    public const int Branches = 3;

    private readonly float[] _self;
    private readonly float[] _cross;
    private float[]? _selfMean;
    private float[]? _crossMean;

    private BlockAttention(BlockRecord record, int step, float[] self, int[] selfShape, float[] cross, int[] crossShape)
    {
        Step = step;
        CallStart = record.CallStart;
        Past = record.Past;
        PastCross = record.PastCross;
        _self = self;
        _cross = cross;
        var shape = selfShape.Length == 5 ? selfShape : crossShape;
        Layers = shape.Length == 5 ? shape[0] : 0;
        Heads = shape.Length == 5 ? shape[2] : 0;
        Frames = shape.Length == 5 ? shape[3] : record.CallFrames;
        SelfKeys = selfShape.Length == 5 ? selfShape[4] : 0;
        CrossKeys = crossShape.Length == 5 ? crossShape[4] : 0;
    }

    /// <summary>The pass (0-based) these weights come from.</summary>
    public int Step { get; }

    public long CallStart { get; }

    public int Past { get; }

    public int PastCross { get; }

    public int Layers { get; }

    public int Heads { get; }

    /// <summary>Query frames: the frames of the call, absolute frame <c>CallStart + q</c>.</summary>
    public int Frames { get; }

    public int SelfKeys { get; }

    public int CrossKeys { get; }

    public bool HasSelf => SelfKeys > 0 && _self.Length > 0;

    public bool HasCross => CrossKeys > 0 && _cross.Length > 0;

    public long QueryFrame(int query) => CallStart + query;

    /// <summary>Absolute frame of self-attention key <paramref name="key"/> (the cached window first).</summary>
    public long SelfKeyFrame(int key) => CallStart - Past + key;

    /// <summary>Absolute condition frame of cross-attention key <paramref name="key"/>.</summary>
    public long CrossKeyFrame(int key) => CallStart - PastCross + key;

    /// <summary>
    /// The attention of pass <paramref name="step"/> of a block, or null when the block did not
    /// capture that pass.
    /// </summary>
    public static BlockAttention? TryFrom(BlockRecord record, IReadOnlyDictionary<string, float[]> arrays, int step)
    {
        var selfName = $"self_attention_{step}";
        var crossName = $"cross_attention_{step}";
        var selfMeta = record.Arrays.FirstOrDefault(a => a.Name == selfName);
        var crossMeta = record.Arrays.FirstOrDefault(a => a.Name == crossName);
        if (selfMeta is null && crossMeta is null)
        {
            return null;
        }

        return new BlockAttention(record, step,
            selfMeta is null ? [] : arrays[selfName], selfMeta?.Shape ?? [],
            crossMeta is null ? [] : arrays[crossName], crossMeta?.Shape ?? []);
    }

    /// <inheritdoc cref="TryFrom"/>
    public static BlockAttention From(BlockRecord record, IReadOnlyDictionary<string, float[]> arrays, int step) =>
        TryFrom(record, arrays, step) ?? throw new InvalidDataException($"telemetry block {record.Block} has no attention for pass {step}");

    public float Self(int layer, int branch, int head, int query, int key) =>
        _self[(((layer * Branches + branch) * Heads + head) * Frames + query) * SelfKeys + key];

    public float Cross(int layer, int branch, int head, int query, int key) =>
        _cross[(((layer * Branches + branch) * Heads + head) * Frames + query) * CrossKeys + key];

    /// <summary>Self-attention of a branch averaged over layers and heads.</summary>
    public float SelfMean(int branch, int query, int key)
    {
        _selfMean ??= Matrix(_self, SelfKeys, null, null, null, perBranch: true);
        return _selfMean[(branch * Frames + query) * SelfKeys + key];
    }

    /// <summary>Cross-attention of a branch averaged over layers and heads.</summary>
    public float CrossMean(int branch, int query, int key)
    {
        _crossMean ??= Matrix(_cross, CrossKeys, null, null, null, perBranch: true);
        return _crossMean[(branch * Frames + query) * CrossKeys + key];
    }

    /// <summary>[Frames, SelfKeys]: self-attention of one layer / head / branch, or the mean over those left null.</summary>
    public float[] SelfMatrix(int? layer, int? head, int? branch) => Matrix(_self, SelfKeys, layer, head, branch, perBranch: false);

    /// <summary>[Frames, CrossKeys]: cross-attention of one layer / head / branch, or the mean over those left null.</summary>
    public float[] CrossMatrix(int? layer, int? head, int? branch) => Matrix(_cross, CrossKeys, layer, head, branch, perBranch: false);

    private float[] Matrix(float[] weights, int keys, int? layer, int? head, int? branch, bool perBranch)
    {
        var size = Frames * keys;
        var result = new float[perBranch ? Branches * size : size];
        if (weights.Length == 0)
        {
            return result;
        }

        Check(layer, Layers, "layer");
        Check(head, Heads, "head");
        Check(branch, Branches, "branch");
        var sums = new double[result.Length];
        var counts = new int[perBranch ? Branches : 1];
        for (var l = 0; l < Layers; l++)
        {
            if (layer is { } onlyLayer && l != onlyLayer)
            {
                continue;
            }

            for (var b = 0; b < Branches; b++)
            {
                if (branch is { } onlyBranch && b != onlyBranch)
                {
                    continue;
                }

                for (var h = 0; h < Heads; h++)
                {
                    if (head is { } onlyHead && h != onlyHead)
                    {
                        continue;
                    }

                    var source = ((l * Branches + b) * Heads + h) * size;
                    var target = perBranch ? b * size : 0;
                    for (var i = 0; i < size; i++)
                    {
                        sums[target + i] += weights[source + i];
                    }

                    counts[perBranch ? b : 0]++;
                }
            }
        }

        for (var i = 0; i < result.Length; i++)
        {
            var n = counts[perBranch ? i / size : 0];
            result[i] = n == 0 ? 0 : (float)(sums[i] / n);
        }

        return result;
    }

    private static void Check(int? value, int count, string what)
    {
        if (value is { } v && (v < 0 || v >= count))
        {
            throw new ArgumentOutOfRangeException(what, v, $"{what} must be in 0..{count - 1}");
        }
    }
}
