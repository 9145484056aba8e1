using System.Globalization;
using AvatarLab.Inference;
using AvatarLab.Inference.Audio;
using AvatarLab.Inference.Motion;
using AvatarLab.Inference.Onnx;
using AvatarLab.Inference.Packages;
using AvatarLab.Inference.Rendering;
using AvatarLab.Inference.Runs;
using AvatarLab.Inference.Sampling;

namespace AvatarLab.Cli;

internal static class Commands
{
    private static readonly HashSet<string> _runValued =
    [
        "--model", "--out", "--avatar-audio", "--user-audio", "--user-motion", "--user-video", "--portrait", "--sampler", "--nfe",
        "--avatar-scale", "--user-scale", "--seed", "--drop", "--schedule", "--stagger", "--attention", "--window",
        "--context", "--clamp", "--render", "--size", "--max-seconds", "--device", "--threads",
    ];

    private static readonly Dictionary<string, SamplerKind> _samplers = new()
    {
        ["avatar-forcing"] = SamplerKind.AvatarForcing,
        ["recomputed"] = SamplerKind.Recomputed,
        ["windowed"] = SamplerKind.WindowedBaseline,
    };

    private static readonly Dictionary<string, bool> _onOff = new() { ["on"] = true, ["off"] = false };

    private static readonly Dictionary<string, NoiseSchedule> _schedules = new()
    {
        ["blockwise"] = NoiseSchedule.Blockwise,
        ["staggered"] = NoiseSchedule.Staggered,
    };

    private static readonly Dictionary<string, AttentionCapture> _attention = new()
    {
        ["off"] = AttentionCapture.Off,
        ["final"] = AttentionCapture.FinalStep,
        ["every"] = AttentionCapture.EveryStep,
    };

    private static readonly Dictionary<string, RenderOutput> _renders = new()
    {
        ["mp4"] = RenderOutput.Mp4,
        ["png"] = RenderOutput.Png,
        ["none"] = RenderOutput.None,
    };

    private static readonly Dictionary<string, InferenceDevice> _devices = new()
    {
        ["auto"] = InferenceDevice.Auto,
        ["cpu"] = InferenceDevice.Cpu,
        ["cuda"] = InferenceDevice.Cuda,
    };

    private static readonly Dictionary<string, DroppedConditions> _drops = new()
    {
        ["user"] = DroppedConditions.User,
        ["user-audio"] = DroppedConditions.UserAudio,
        ["user-motion"] = DroppedConditions.UserMotion,
        ["avatar-audio"] = DroppedConditions.AvatarAudio,
    };

    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr)
    {
        if (args.Length == 0 || args[0] is "--help" or "-h" or "help")
        {
            await stdout.WriteLineAsync(Usage.Text);
            return args.Length == 0 ? 2 : 0;
        }

        var rest = args.Skip(1);
        return args[0] switch
        {
            "run" => await RunCommandAsync(rest, stdout),
            "info" => Info(rest, stdout),
            "bench" => AvatarLab.Bench.BenchmarkSuite.Run(args[1..], stdout),
            _ => throw new CliException($"unknown command '{args[0]}': use run, info or bench (avatarlab --help)"),
        };
    }

    private static async Task<int> RunCommandAsync(IEnumerable<string> args, TextWriter stdout)
    {
        var a = new ArgReader(args, _runValued, new HashSet<string>());
        var request = new OfflineRunRequest
        {
            AvatarAudioPath = a.ExistingFile("--avatar-audio"),
            UserAudioPath = a.ExistingFile("--user-audio"),
            UserMotionPath = a.ExistingFile("--user-motion"),
            UserVideoPath = a.ExistingFile("--user-video"),
            PortraitPath = a.ExistingFile("--portrait"),
            OutputDirectory = a.Required("--out"),
            Render = a.Enum("--render", _renders) ?? RenderOutput.Mp4,
            FrameSize = a.Int("--size", 64, 2048) ?? 256,
            MaxSeconds = a.Double("--max-seconds", 1, 24 * 3600) ?? 3600,
            Sampler = new SamplerOptions
            {
                Kind = a.Enum("--sampler", _samplers) ?? SamplerKind.AvatarForcing,
                Nfe = a.Int("--nfe", 3, 1000),
                AvatarAudioScale = a.Double("--avatar-scale", -100, 100),
                UserScale = a.Double("--user-scale", -100, 100),
                Seed = a.ULong("--seed") ?? 0,
                Drop = ParseDrop(a.String("--drop")),
                Schedule = a.Enum("--schedule", _schedules) ?? NoiseSchedule.Blockwise,
                StaggerSpread = a.Double("--stagger", 0, 10) ?? 0.5,
                Attention = a.Enum("--attention", _attention) ?? AttentionCapture.FinalStep,
                BaselineWindowFrames = a.Int("--window", 1, 100_000) ?? 75,
                BaselineContextFrames = a.Int("--context", 0, 100_000) ?? 10,
                ClampToLatentRange = a.Enum("--clamp", _onOff),
            },
        };
        if (request.FrameSize % 2 != 0 && request.Render == RenderOutput.Mp4)
        {
            throw new CliException($"--size: {request.FrameSize} is odd; H.264 needs an even frame size");
        }

        using var model = OpenModel(a);
        var progress = new Progress<RunProgress>(_ => { });
        OfflineRunResult result;
        try
        {
            result = await OfflineRunner.RunAsync(model, request, progress);
        }
        catch (Exception ex) when (ex is AudioFormatException or MotionTrackFormatException or PortraitFormatException or ArgumentException)
        {
            throw new CliException(ex.Message);
        }

        await stdout.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"{result.Model} on {result.Device}: {result.Frames} frames ({result.MediaSeconds:0.00} s) in {result.Blocks} blocks, " +
            $"block compute p50 {result.BlockComputeMs[0]:0.0} ms, p95 {result.BlockComputeMs[1]:0.0} ms, {result.RealTimeFactor:0.0}x real time"));
        foreach (var note in result.Notes)
        {
            await stdout.WriteLineAsync($"note: {note}");
        }

        foreach (var (kind, path) in result.Files)
        {
            await stdout.WriteLineAsync($"{kind}: {path}");
        }

        return 0;
    }

    private static int Info(IEnumerable<string> args, TextWriter stdout)
    {
        var a = new ArgReader(args, new HashSet<string> { "--model", "--device", "--threads" }, new HashSet<string>());
        using var model = OpenModel(a);
        var m = model.Manifest;
        var w = m.Window;
        stdout.WriteLine($"{m.Name} {m.Version}: {m.Description}");
        stdout.WriteLine($"latent {m.Latent.Dim} ({m.Latent.Space}), {m.Fps} fps, {m.SampleRate} Hz");
        stdout.WriteLine($"window: clip {w.ClipFrames}, block {w.BlockFrames}, context {w.ContextFrames}, lookahead {w.LookaheadFrames}, " +
                         $"self cache {w.SelfCacheFrames}, cross cache {w.CrossCacheFrames}");
        stdout.WriteLine($"transformer: {m.Transformer.Layers} layers, {m.Transformer.Heads} heads of {m.Transformer.HeadDim}");
        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"defaults: NFE {m.Diffusion.DefaultNfe}, guidance avatar {m.Guidance.AvatarAudio}, user {m.Guidance.User}"));
        stdout.WriteLine($"features: audio {m.Features.Audio.Type} ({m.Features.Audio.FeatureDim}/frame), user motion {m.Features.UserMotion.Type}");
        stdout.WriteLine($"renderer: {m.Renderer.Type}; attention outputs: {(model.Package.HasAttentionOutputs ? "yes" : "no")}");
        stdout.WriteLine($"device: {model.Package.ExecutionProvider.Provider} ({model.Package.ExecutionProvider.Reason})");
        return 0;
    }

    private static AvatarModel OpenModel(ArgReader a)
    {
        var path = a.ExistingFile("--model") ?? throw new CliException("missing required option '--model'");
        var options = new ModelPackageOptions
        {
            Inference = new InferenceOptions
            {
                Device = a.Enum("--device", _devices) ?? InferenceDevice.Auto,
                // One thread by default: small denoiser calls run faster on one thread than two
                // (bench/README.md); big models on big machines want --threads.
                IntraOpThreads = a.Int("--threads", 1, 256) ?? 1,
            },
        };
        try
        {
            return AvatarModel.Open(path, options);
        }
        catch (Exception ex) when (ex is ModelPackageException or ExecutionProviderException)
        {
            throw new CliException(ex.Message);
        }
    }

    private static DroppedConditions ParseDrop(string? list)
    {
        var drop = DroppedConditions.None;
        foreach (var name in (list ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            drop |= _drops.TryGetValue(name, out var d) ? d
                : throw new CliException($"--drop: '{name}' is not one of {string.Join(", ", _drops.Keys)}");
        }

        return drop;
    }
}
