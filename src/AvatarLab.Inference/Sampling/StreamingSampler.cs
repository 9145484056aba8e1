using System.Diagnostics;
using AvatarLab.Inference.Telemetry;

namespace AvatarLab.Inference.Sampling;

/// <summary>
/// Streaming motion generation for one session: push condition features as they arrive,
/// take blocks as they complete. Implements the official Avatar Forcing loop
/// (avatar-forcing.md) with the KV cache or with window recomputation, and the windowed
/// baseline, all with 3-way classifier-free guidance in one batch of 3
/// (none, avatar audio only, user audio + user motion only).
/// </summary>
/// <remarks>
/// Memory and per-block time are independent of the stream's length: condition features,
/// latents and arrival times are kept only as far back as the next call needs, the cache is
/// a fixed-size window, and every denoiser buffer is allocated once.
/// Not thread-safe: one caller pushes and takes blocks. Dispose it to release what the
/// denoiser prepared for its buffers.
/// </remarks>
public sealed class StreamingSampler : IDisposable
{
    private const int Branches = 3;

    private readonly IDenoiser _denoiser;
    private readonly DenoiserShape _shape;
    private readonly StreamWindow _window;
    private readonly SamplerOptions _options;
    private readonly INoiseSource _noise;
    private readonly double[] _timesteps;
    private readonly double _avatarScale;
    private readonly double _userScale;
    private readonly DenoiserCall _call;
    private readonly FrameHistory<float> _avatarAudio;
    private readonly FrameHistory<float> _userAudio;
    private readonly FrameHistory<float> _userMotion;
    private readonly FrameHistory<long> _arrivals = new(1);
    private readonly FrameHistory<double> _latents;
    private readonly double[] _x;
    private readonly double[] _guided;
    private readonly double[] _tNow;
    private readonly double[] _tNext;
    private readonly float[] _cacheScratch;
    private readonly float[] _identity;
    private readonly double _shift;
    private readonly double[]? _x0Min;
    private readonly double[]? _x0Max;
    private int _past;
    private int _pastCross;
    private bool _lastPassClean;

    public StreamingSampler(IDenoiser denoiser, StreamWindow window, int trainTimesteps, int defaultNfe,
        double defaultAvatarScale, double defaultUserScale, SamplerOptions options, INoiseSource? noise = null, double shift = 1.0,
        IReadOnlyList<(double Min, double Max)>? x0Range = null)
    {
        if (x0Range is not null)
        {
            if (x0Range.Count != denoiser.Shape.LatentDim)
            {
                throw new ArgumentException($"x0Range has {x0Range.Count} channels; the latent has {denoiser.Shape.LatentDim}", nameof(x0Range));
            }

            _x0Min = x0Range.Select(r => r.Min).ToArray();
            _x0Max = x0Range.Select(r => r.Max).ToArray();
        }

        _denoiser = denoiser;
        _shape = denoiser.Shape;
        _window = window;
        _options = options;
        _noise = noise ?? new SeededNoise(options.Seed);
        _shift = shift;
        _timesteps = FlowMatching.Timesteps(options.Nfe ?? defaultNfe, trainTimesteps, shift);
        _avatarScale = options.AvatarAudioScale ?? defaultAvatarScale;
        _userScale = options.UserScale ?? defaultUserScale;
        if (options.Kind == SamplerKind.WindowedBaseline && (options.BaselineWindowFrames <= 0 || options.BaselineContextFrames < 0))
        {
            throw new ArgumentException("the windowed baseline needs a positive window and a non-negative context");
        }

        var maxFrames = options.Kind == SamplerKind.WindowedBaseline
            ? options.BaselineContextFrames + options.BaselineWindowFrames
            : Math.Max(window.Clip, window.Context + window.Block);
        var cached = options.Kind == SamplerKind.AvatarForcing;
        _call = new DenoiserCall(_shape, Branches, maxFrames, cached ? window.SelfCache : 0, cached ? window.CrossCache : 0);
        _avatarAudio = new FrameHistory<float>(_shape.AvatarAudioDim);
        _userAudio = new FrameHistory<float>(_shape.UserAudioDim);
        _userMotion = new FrameHistory<float>(_shape.UserMotionDim);
        _latents = new FrameHistory<double>(_shape.LatentDim);
        _x = new double[maxFrames * _shape.LatentDim];
        _guided = new double[maxFrames * _shape.LatentDim];
        _tNow = new double[maxFrames];
        _tNext = new double[maxFrames];
        var cacheSize = _shape.Layers * Branches * _shape.Heads * Math.Max(window.SelfCache, window.CrossCache) * _shape.HeadDim;
        _cacheScratch = new float[cacheSize];
        _identity = new float[_shape.LatentDim];
    }

    public SamplerOptions Options => _options;

    /// <summary>The NFE in force (the option, else the manifest's default).</summary>
    public int Nfe => _timesteps.Length + 1;

    /// <summary>The avatar-audio guidance scale in force.</summary>
    public double AvatarAudioScale => _avatarScale;

    /// <summary>The user guidance scale in force.</summary>
    public double UserScale => _userScale;

    /// <summary>Whether each step's guided x0 estimate is clamped to the latent's ranges.</summary>
    public bool ClampsToLatentRange => _x0Min is not null;

    /// <summary>
    /// How many x0 estimates of generated frames the range clamp has changed so far, over every
    /// denoising pass (a value clamped at several passes counts at each).
    /// </summary>
    public long ClampedValues { get; private set; }

    /// <summary>Timesteps of one block's denoising passes (nfe - 1 of them).</summary>
    public IReadOnlyList<double> TimestepList => _timesteps;

    /// <summary>Condition frames pushed so far.</summary>
    public long FramesReceived => _avatarAudio.End;

    /// <summary>Frames generated so far.</summary>
    public long FramesGenerated { get; private set; }

    /// <summary>Blocks generated so far.</summary>
    public int BlocksGenerated { get; private set; }

    /// <summary>Input frames the next block needs before it can start (its last frame, lookahead included).</summary>
    public long NextBlockNeeds => PlanFor(BlocksGenerated).NewStart + PlanFor(BlocksGenerated).NewFrames;

    /// <summary>Whether <see cref="Next"/> would generate a block now.</summary>
    public bool BlockReady => FramesReceived >= NextBlockNeeds;

    /// <summary>
    /// The portrait's identity latent [D] from an identity encoder, fed to every denoiser call
    /// (zeros, the default, where the model has none).
    /// </summary>
    public void SetIdentity(ReadOnlySpan<float> identity)
    {
        if (identity.Length != _identity.Length)
        {
            throw new ArgumentException($"identity has {identity.Length} values; the model's latent has {_identity.Length}");
        }

        identity.CopyTo(_identity);
    }

    /// <summary>
    /// Appends condition features for whole frames: avatar audio [n, Fa], user audio [n, Fu],
    /// user motion [n, Fm] (row-major). A dropped or missing stream is passed as zeros.
    /// </summary>
    public void Push(ReadOnlySpan<float> avatarAudio, ReadOnlySpan<float> userAudio, ReadOnlySpan<float> userMotion)
    {
        var n = avatarAudio.Length / _shape.AvatarAudioDim;
        if (avatarAudio.Length != n * _shape.AvatarAudioDim || userAudio.Length != n * _shape.UserAudioDim
            || userMotion.Length != n * _shape.UserMotionDim)
        {
            throw new ArgumentException(
                $"push whole frames of the same count: avatar audio {avatarAudio.Length} values (dim {_shape.AvatarAudioDim}), " +
                $"user audio {userAudio.Length} (dim {_shape.UserAudioDim}), user motion {userMotion.Length} (dim {_shape.UserMotionDim})");
        }

        _avatarAudio.Append(avatarAudio);
        _userAudio.Append(userAudio);
        _userMotion.Append(userMotion);
        Span<long> now = stackalloc long[1];
        now[0] = Stopwatch.GetTimestamp();
        for (var i = 0; i < n; i++)
        {
            _arrivals.Append(now);
        }
    }

    /// <summary>Generates the next block when its inputs are complete; null otherwise.</summary>
    public BlockTelemetry? Next()
    {
        if (!BlockReady)
        {
            return null;
        }

        var started = Stopwatch.GetTimestamp();
        var plan = PlanFor(BlocksGenerated);
        var steps = _timesteps.Length;
        var block = new BlockTelemetry(BlocksGenerated, plan.NewStart, plan.NewFrames, plan.CallStart, plan.CallFrames, steps, _shape.LatentDim);
        var firstArrival = _arrivals.Frames(plan.NewStart, 1)[0];
        var lastArrival = _arrivals.Frames(plan.NewStart + plan.NewFrames - 1, 1)[0];
        block.Timings.InputWaitMs = Stopwatch.GetElapsedTime(firstArrival, lastArrival).TotalMilliseconds;
        block.Timings.QueueMs = Stopwatch.GetElapsedTime(lastArrival, started).TotalMilliseconds;

        PrepareCall(plan);
        Denoise(plan, block);
        if (plan.UsesCache)
        {
            var refresh = Stopwatch.GetTimestamp();
            RefreshCache(plan, block);
            block.Timings.CacheRefreshMs = Stopwatch.GetElapsedTime(refresh).TotalMilliseconds;
        }

        // Keep the new frames; the context frames of the call are unchanged by construction.
        var d = _shape.LatentDim;
        var newOffset = (int)(plan.NewStart - plan.CallStart) * d;
        _latents.Append(_x.AsSpan(newOffset, plan.NewFrames * d));
        for (var i = 0; i < plan.NewFrames * d; i++)
        {
            block.Latents[i] = (float)_x[newOffset + i];
        }

        BlocksGenerated++;
        FramesGenerated = plan.NewStart + plan.NewFrames;
        var keepFrom = PlanFor(BlocksGenerated).CallStart;
        _avatarAudio.TrimBefore(keepFrom);
        _userAudio.TrimBefore(keepFrom);
        _userMotion.TrimBefore(keepFrom);
        _arrivals.TrimBefore(keepFrom);
        _latents.TrimBefore(keepFrom);
        return block;
    }

    private BlockPlan PlanFor(int index)
    {
        var w = _window;
        switch (_options.Kind)
        {
            case SamplerKind.WindowedBaseline:
            {
                long size = _options.BaselineWindowFrames, ctx = _options.BaselineContextFrames;
                var start = index * size;
                var context = index == 0 ? 0 : (int)Math.Min(ctx, start);
                return new BlockPlan(start, (int)size, start - context, context + (int)size, false);
            }

            case SamplerKind.Recomputed when index > 0:
            {
                var start = w.BlockStart(index);
                return new BlockPlan(start, w.Block, start + w.Block - w.Clip, w.Clip, false);
            }

            case SamplerKind.AvatarForcing when index > 0:
            {
                var start = w.BlockStart(index);
                return new BlockPlan(start, w.Block, start - w.Context, w.Context + w.Block, true);
            }

            default:
                return new BlockPlan(0, w.Clip, 0, w.Clip, _options.Kind == SamplerKind.AvatarForcing);
        }
    }

    private void PrepareCall(BlockPlan plan)
    {
        var n = plan.CallFrames;
        var d = _shape.LatentDim;
        _call.SetSizes(Branches, n, plan.UsesCache ? _past : 0, plan.UsesCache ? _pastCross : 0, plan.CallStart);

        // Latents: clean context frames (already generated), then the new frames' noise.
        var contextFrames = (int)(plan.NewStart - plan.CallStart);
        if (contextFrames > 0)
        {
            _latents.Frames(plan.CallStart, contextFrames).CopyTo(_x);
        }

        _noise.Fill(plan.NewStart, plan.NewFrames, d, _x.AsSpan(contextFrames * d, plan.NewFrames * d));

        FillBranches(_avatarAudio, plan, _call.AvatarAudio, keepInBranch: 1, DroppedConditions.AvatarAudio);
        FillBranches(_userAudio, plan, _call.UserAudio, keepInBranch: 2, DroppedConditions.UserAudio);
        FillBranches(_userMotion, plan, _call.UserMotion, keepInBranch: 2, DroppedConditions.UserMotion);
        for (var b = 0; b < Branches; b++)
        {
            _identity.CopyTo(_call.Identity.AsSpan(b * d, d));
        }
    }

    /// <summary>Branch b of the batch gets the stream when b == keepInBranch and the stream is not dropped; zeros otherwise.</summary>
    private void FillBranches(FrameHistory<float> history, BlockPlan plan, float[] dest, int keepInBranch, DroppedConditions flag)
    {
        var size = plan.CallFrames * history.Dim;
        dest.AsSpan(0, Branches * size).Clear();
        if ((_options.Drop & flag) == 0)
        {
            history.Frames(plan.CallStart, plan.CallFrames).CopyTo(dest.AsSpan(keepInBranch * size, size));
        }
    }

    private void Denoise(BlockPlan plan, BlockTelemetry block)
    {
        var n = plan.CallFrames;
        var d = _shape.LatentDim;
        var steps = _timesteps.Length;
        var firstNoisy = (int)(plan.NewStart - plan.CallStart);
        var capture = _options.Attention;
        for (var i = 0; i < steps; i++)
        {
            var stepStarted = Stopwatch.GetTimestamp();
            var clean = true;
            for (var f = 0; f < n; f++)
            {
                var noisy = f >= firstNoisy;
                _tNow[f] = noisy ? TimestepOf(i, f - firstNoisy, plan) : 0;
                _tNext[f] = noisy && i + 1 < steps ? TimestepOf(i + 1, f - firstNoisy, plan) : 0;
                block.Timesteps[i * n + f] = (float)_tNow[f];
                clean &= _tNow[f] == 0;
            }

            // The official loop's last pass runs every frame at t = 0 and changes nothing; its
            // inputs (clean latents, t = 0, the same conditions and cache) are exactly those of
            // the cache refresh that follows, so that pass's present keys and values are the
            // refresh's and the refresh need not run again.
            _lastPassClean = clean && i == steps - 1;

            LoadCallInputs(n, d, _tNow);

            _call.WantAttention = capture == AttentionCapture.EveryStep || (capture == AttentionCapture.FinalStep && i == steps - 1);
            _denoiser.Run(_call);
            if (_call.WantAttention)
            {
                block.Attention.Add(Snapshot(i));
            }

            GuideAndStep(n, d, firstNoisy, block.VelocityNorms.AsSpan(i * 4, 4),
                block.GuidanceEffect.AsSpan(i * block.NoisyFrames * 2, block.NoisyFrames * 2));
            block.Timings.DenoiseStepMs[i] = Stopwatch.GetElapsedTime(stepStarted).TotalMilliseconds;
        }
    }

    /// <summary>The current latents and per-frame timesteps, the same for all three guidance branches.</summary>
    private void LoadCallInputs(int n, int d, double[] t)
    {
        for (var b = 0; b < Branches; b++)
        {
            for (var f = 0; f < n; f++)
            {
                _call.T[b * n + f] = (float)t[f];
            }

            for (var i = 0; i < n * d; i++)
            {
                _call.X[b * n * d + i] = (float)_x[i];
            }
        }
    }

    private double TimestepOf(int step, int newFrameIndex, BlockPlan plan)
    {
        if (_options.Schedule == NoiseSchedule.Blockwise)
        {
            return _timesteps[step];
        }

        // Staggered: the frame's position in the model's block grid (the first clip holds
        // several blocks, aligned at frame 0; later blocks start on the grid).
        var blockFrames = _options.Kind == SamplerKind.WindowedBaseline ? plan.NewFrames : _window.Block;
        var frameInBlock = newFrameIndex % blockFrames;
        return FlowMatching.StaggeredTimestep(step, _timesteps.Length, frameInBlock, blockFrames, _options.StaggerSpread,
            _shape.TrainTimesteps, _shift);
    }

    private void GuideAndStep(int n, int d, int firstNoisy, Span<float> norms, Span<float> effect)
    {
        var v = _call.Velocity;
        var branch = n * d;
        double sumNone = 0, sumAvatar = 0, sumUser = 0, sumGuided = 0;
        for (var f = 0; f < n; f++)
        {
            double avatarEffect = 0, userEffect = 0;
            for (var c = 0; c < d; c++)
            {
                var i = f * d + c;
                double vNone = v[i], vAvatar = v[branch + i], vUser = v[2 * branch + i];
                var guided = FlowMatching.Guide(vNone, vAvatar, vUser, _avatarScale, _userScale);
                _guided[i] = guided;
                if (f >= firstNoisy)
                {
                    sumNone += vNone * vNone;
                    sumAvatar += vAvatar * vAvatar;
                    sumUser += vUser * vUser;
                    sumGuided += guided * guided;
                    avatarEffect += (vAvatar - vNone) * (vAvatar - vNone);
                    userEffect += (vUser - vNone) * (vUser - vNone);
                }

                if (_x0Min is null)
                {
                    _x[i] = FlowMatching.Step(_x[i], guided, _tNow[f], _tNext[f], _shape.TrainTimesteps);
                }
                else
                {
                    _x[i] = FlowMatching.StepClamped(_x[i], guided, _tNow[f], _tNext[f], _shape.TrainTimesteps, _x0Min[c], _x0Max![c], out var clamped);
                    ClampedValues += clamped ? 1 : 0;
                }
            }

            if (f >= firstNoisy)
            {
                effect[(f - firstNoisy) * 2] = (float)Math.Sqrt(avatarEffect / d);
                effect[(f - firstNoisy) * 2 + 1] = (float)Math.Sqrt(userEffect / d);
            }
        }

        var count = Math.Max(1, (n - firstNoisy) * d);
        norms[0] = (float)Math.Sqrt(sumNone / count);
        norms[1] = (float)Math.Sqrt(sumAvatar / count);
        norms[2] = (float)Math.Sqrt(sumUser / count);
        norms[3] = (float)Math.Sqrt(sumGuided / count);
    }

    private AttentionSnapshot Snapshot(int step)
    {
        var c = _call;
        var rows = _shape.Layers * Branches * _shape.Heads * c.Frames;
        var self = _shape.HasSelfAttention ? ToHalf(c.SelfAttention.AsSpan(0, rows * (c.Past + c.Frames))) : [];
        var cross = _shape.HasCrossAttention ? ToHalf(c.CrossAttention.AsSpan(0, rows * (c.PastCross + c.Frames))) : [];
        return new AttentionSnapshot(step, _shape.Layers, _shape.Heads, c.Frames, c.Past, c.PastCross, self, cross);
    }

    private static Half[] ToHalf(ReadOnlySpan<float> values)
    {
        var result = new Half[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            result[i] = (Half)values[i];
        }

        return result;
    }

    /// <summary>
    /// Runs the clean call frames once more at t = 0 (unless the block's last pass already did
    /// exactly that) and keeps, as the next call's cache, the newest cached frames before the
    /// next call's context frames (avatar-forcing.md).
    /// </summary>
    private void RefreshCache(BlockPlan plan, BlockTelemetry block)
    {
        var n = plan.CallFrames;
        var d = _shape.LatentDim;
        block.Timings.CacheRefreshReusedFinalPass = _lastPassClean;
        if (!_lastPassClean)
        {
            Array.Clear(_tNow, 0, n);
            LoadCallInputs(n, d, _tNow);
            _call.WantAttention = false;
            _denoiser.Run(_call);
        }

        var next = PlanFor(BlocksGenerated + 1);
        var take = (int)(next.CallStart - plan.CallStart);
        var newPast = Math.Min(_window.SelfCache, _past + take);
        var newCross = Math.Min(_window.CrossCache, _pastCross + take);
        Shift(_call.PastKey, _call.PresentKey, _past, take, newPast);
        Shift(_call.PastValue, _call.PresentValue, _past, take, newPast);
        Shift(_call.PastCrossKey, _call.PresentCrossKey, _pastCross, take, newCross);
        Shift(_call.PastCrossValue, _call.PresentCrossValue, _pastCross, take, newCross);
        _past = newPast;
        _pastCross = newCross;
    }

    /// <summary>
    /// past [L, 3, H, oldP, hd] ++ present [L, 3, H, :take, hd] -> the last newP frames, written
    /// back into past with the new layout [L, 3, H, newP, hd].
    /// </summary>
    private void Shift(float[] past, float[] present, int oldP, int take, int newP)
    {
        var hd = _shape.HeadDim;
        var rows = _shape.Layers * Branches * _shape.Heads;
        var n = _call.Frames;
        var scratch = _cacheScratch;
        for (var r = 0; r < rows; r++)
        {
            var fromOld = Math.Max(0, newP - take);
            var dest = scratch.AsSpan(r * newP * hd, newP * hd);
            past.AsSpan((r * oldP + oldP - fromOld) * hd, fromOld * hd).CopyTo(dest);
            var fromPresent = newP - fromOld;
            present.AsSpan((r * n + take - fromPresent) * hd, fromPresent * hd).CopyTo(dest[(fromOld * hd)..]);
        }

        scratch.AsSpan(0, rows * newP * hd).CopyTo(past);
    }

    public void Dispose() => _denoiser.Release(_call);

    private readonly record struct BlockPlan(long NewStart, int NewFrames, long CallStart, int CallFrames, bool UsesCache);
}
