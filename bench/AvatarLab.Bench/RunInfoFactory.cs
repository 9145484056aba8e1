using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Runtime;
using System.Runtime.InteropServices;
using AvatarLab.Bench.Reporting;
using AvatarLab.Inference;

namespace AvatarLab.Bench;

/// <summary>Describes the machine, the model and the execution provider of a run, with warnings that make numbers suspect.</summary>
internal static class RunInfoFactory
{
    /// <summary>The sampler's timing is meaningless above this 1-minute load per logical processor: others share the cores.</summary>
    private const double BusyLoadPerProcessor = 0.25;

    public static RunInfo Describe(AvatarModel model, BenchOptions options, DateTimeOffset started)
    {
        var m = model.Manifest;
        var provider = model.Package.ExecutionProvider;
        var gc = $"{(GCSettings.IsServerGC ? "server" : "workstation")}, {GCSettings.LatencyMode}";
        var machine = new MachineInfo(Environment.ProcessorCount, RuntimeInformation.OSDescription,
            RuntimeInformation.ProcessArchitecture.ToString(), RuntimeInformation.FrameworkDescription, gc);
        var modelInfo = new ModelInfo(m.Name, m.Version, options.ModelPath, m.Fps, m.Window.ClipFrames, m.Window.BlockFrames,
            m.Window.ContextFrames, m.Transformer.Layers, m.Transformer.Heads, m.Transformer.HeadDim, m.Latent.Dim,
            model.Package.HasAttentionOutputs);
        var inference = new InferenceInfo(provider.Provider, provider.Reason, options.Device.ToString(), options.Threads, 0);
        return new RunInfo("avatarlab-bench", started, options.Quick, machine, modelInfo, inference, Warnings(model));
    }

    private static List<string> Warnings(AvatarModel model)
    {
        var warnings = new List<string>();
        if (IsUnoptimized(typeof(AvatarModel).Assembly) || IsUnoptimized(typeof(RunInfoFactory).Assembly))
        {
            warnings.Add("Debug build: the JIT optimizer is off, timings are not representative (run with -c Release)");
        }

        if (Debugger.IsAttached)
        {
            warnings.Add("a debugger is attached: timings are not representative");
        }

        if (!model.Package.HasAttentionOutputs)
        {
            warnings.Add("the model exports no attention: attention capture FinalStep measures the same work as Off");
        }

        if (LoadAverage() is { } load && load / Environment.ProcessorCount > BusyLoadPerProcessor)
        {
            warnings.Add($"machine busy before the run (1-minute load average {load:0.00} on {Environment.ProcessorCount} " +
                "logical processors): timings are inflated");
        }

        return warnings;
    }

    private static bool IsUnoptimized(Assembly assembly) =>
        assembly.GetCustomAttribute<DebuggableAttribute>()?.IsJITOptimizerDisabled == true;

    /// <summary>The 1-minute load average where the OS publishes it (Linux), otherwise null.</summary>
    private static double? LoadAverage()
    {
        const string path = "/proc/loadavg";
        try
        {
            if (!File.Exists(path))
            {
                return null;
            }

            var first = File.ReadAllText(path).Split(' ', 2)[0];
            return double.TryParse(first, NumberStyles.Float, CultureInfo.InvariantCulture, out var load) ? load : null;
        }
        catch (IOException)
        {
            return null;
        }
    }
}
