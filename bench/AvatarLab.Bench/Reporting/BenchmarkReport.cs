namespace AvatarLab.Bench.Reporting;

/// <summary>The whole run: environment, then every benchmark's measurements.</summary>
internal sealed record BenchmarkReport(RunInfo Run, IReadOnlyList<BenchmarkResult> Benchmarks)
{
    public int Passed => Count(Verdict.Pass);
    public int Missed => Count(Verdict.Miss);

    private int Count(Verdict verdict) => Benchmarks.Sum(b => b.Measurements.Count(m => m.Verdict == verdict));
}
