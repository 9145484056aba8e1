namespace AvatarLab.Bench.Reporting;

/// <summary>Writes the report as a plain-text table: environment first, then one section per benchmark.</summary>
internal static class TablePrinter
{
    private const string Indent = "   ";

    public static void Print(BenchmarkReport report, TextWriter output)
    {
        PrintRun(report.Run, output);
        output.WriteLine();

        var rows = report.Benchmarks.SelectMany(b => b.Measurements).ToList();
        var metricWidth = Math.Max("metric".Length, rows.Max(m => m.Metric.Length)) + Indent.Length;
        var valueWidth = Math.Max("measured".Length, rows.Max(m => ValueFormat.Measured(m.Value, m.Unit).Length));
        var targetWidth = Math.Max("target".Length, rows.Max(m => TargetText(m).Length));

        output.WriteLine($"{"metric".PadRight(metricWidth)}  {"measured".PadLeft(valueWidth)}  {"target".PadRight(targetWidth)}  result");
        output.WriteLine(new string('-', metricWidth + valueWidth + targetWidth + 12));
        for (var i = 0; i < report.Benchmarks.Count; i++)
        {
            var benchmark = report.Benchmarks[i];
            output.WriteLine($"{i + 1}. {benchmark.Title} [{benchmark.Id}]");
            output.WriteLine($"{Indent}{benchmark.Setup}");
            foreach (var m in benchmark.Measurements)
            {
                var metric = (Indent + m.Metric).PadRight(metricWidth);
                var value = ValueFormat.Measured(m.Value, m.Unit).PadLeft(valueWidth);
                output.WriteLine($"{metric}  {value}  {TargetText(m).PadRight(targetWidth)}  {VerdictText(m.Verdict)}");
            }
        }

        output.WriteLine();
        output.WriteLine($"{report.Passed} PASS, {report.Missed} MISS (targets are reported, not asserted)");
    }

    private static void PrintRun(RunInfo run, TextWriter output)
    {
        var m = run.Model;
        var i = run.Inference;
        output.WriteLine($"{run.Tool} {(run.Quick ? "(quick run)" : "(full run)")} started {run.StartedUtc:yyyy-MM-dd HH:mm:ss} UTC");
        output.WriteLine($"model     {m.Name} {m.Version} ({m.Path}): {m.Layers} layers, {m.Heads} heads x {m.HeadDim}, latent {m.LatentDim}, " +
            $"{m.Fps} fps, clip {m.ClipFrames} / block {m.BlockFrames} / context {m.ContextFrames} frames, " +
            $"attention outputs {(m.AttentionOutputs ? "yes" : "none")}");
        output.WriteLine($"provider  {i.Provider} ({i.Reason}; requested {i.RequestedDevice})");
        output.WriteLine($"threads   intra-op {i.IntraOpThreads}, inter-op {(i.InterOpThreads == 0 ? "0 (ONNX Runtime default)" : i.InterOpThreads)}");
        output.WriteLine($"machine   {run.Machine.ProcessorCount} logical processors, {run.Machine.Os}, {run.Machine.Architecture}, " +
            $"{run.Machine.Runtime}, GC {run.Machine.Gc}");
        foreach (var warning in run.Warnings)
        {
            output.WriteLine($"WARNING   {warning}");
        }
    }

    private static string TargetText(Measurement m) => m.Target is null ? "" : ValueFormat.Threshold(m.Target, m.Unit);

    private static string VerdictText(Verdict verdict) => verdict switch
    {
        Verdict.Pass => "PASS",
        Verdict.Miss => "MISS",
        _ => "info",
    };
}
