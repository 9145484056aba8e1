using System.Diagnostics;
using AvatarLab.Bench.Benchmarks;
using AvatarLab.Bench.Reporting;
using AvatarLab.Inference;
using AvatarLab.Inference.Onnx;
using AvatarLab.Inference.Packages;
using Microsoft.ML.OnnxRuntime;

namespace AvatarLab.Bench;

/// <summary>
/// Runs every benchmark in one process on one loaded model, so that ratios compare numbers
/// measured under the same conditions, and prints the table and the JSON report.
/// </summary>
public static class BenchmarkSuite
{
    /// <summary>Parses <paramref name="args"/>, runs the benchmarks and writes the report to <paramref name="output"/>.</summary>
    /// <returns>
    /// 0 when the benchmarks ran, whether or not every target was met (targets are reported, not
    /// asserted); 2 for bad arguments or a model that cannot be opened, with one line saying why.
    /// </returns>
    public static int Run(string[] args, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        try
        {
            var options = BenchOptions.Parse(args);
            if (options.ShowHelp)
            {
                output.Write(BenchOptions.Usage);
                return ExitCodes.Ok;
            }

            var started = DateTimeOffset.UtcNow;
            using var model = OpenModel(options);
            var report = Run(model, options, started, output);
            output.WriteLine();
            TablePrinter.Print(report, output);
            output.WriteLine();
            JsonReportWriter.Write(report, output);
            if (options.JsonPath is { } path)
            {
                JsonReportWriter.WriteFile(report, path);
                output.WriteLine($"report written to {path}");
            }

            return ExitCodes.Ok;
        }
        catch (BenchArgumentException ex)
        {
            output.WriteLine($"error: {ex.Message}");
            return ExitCodes.BadArguments;
        }
    }

    private static BenchmarkReport Run(AvatarModel model, BenchOptions options, DateTimeOffset started, TextWriter output)
    {
        // Described before the first benchmark so that the load-average warning sees the machine, not this run.
        var info = RunInfoFactory.Describe(model, options, started);
        var context = new BenchContext(model, options.Quick ? BenchScale.QuickRun : BenchScale.Full);
        IBenchmark[] benchmarks =
        [
            new BlockComputeBenchmark(),
            new CacheSpeedupBenchmark(),
            new LatencyBenchmark(),
            new AllocationBenchmark(),
            new LongStreamBenchmark(),
        ];
        if (options.Only is { } only)
        {
            benchmarks = [.. benchmarks.Where(b => only.Contains(b.Id))];
        }

        var results = new List<BenchmarkResult>();
        var total = Stopwatch.StartNew();
        for (var i = 0; i < benchmarks.Length; i++)
        {
            var benchmark = benchmarks[i];
            output.WriteLine($"[{i + 1}/{benchmarks.Length}] {benchmark.Title} ({total.Elapsed.TotalSeconds:0} s)");

            // Garbage left by one benchmark is collected before the next, not during it.
            GC.Collect();
            GC.WaitForPendingFinalizers();
            results.Add(benchmark.Run(context, output));
        }

        return new BenchmarkReport(info, results);
    }

    private static AvatarModel OpenModel(BenchOptions options)
    {
        var packageOptions = new ModelPackageOptions
        {
            Inference = new InferenceOptions { Device = options.Device, IntraOpThreads = options.Threads },
        };
        try
        {
            return AvatarModel.Open(options.ModelPath, packageOptions);
        }
        catch (Exception ex) when (ex is ModelPackageException or ExecutionProviderException or OnnxRuntimeException
            or IOException or InvalidDataException)
        {
            throw new BenchArgumentException($"cannot open model package '{options.ModelPath}': {OneLine(ex.Message)}");
        }
    }

    private static string OneLine(string message) => message.ReplaceLineEndings(" ").Trim();
}
