using AvatarLab.Bench.Reporting;

namespace AvatarLab.Bench.Benchmarks;

/// <summary>One benchmark of the suite.</summary>
internal interface IBenchmark
{
    /// <summary>Stable name for scripts reading the JSON.</summary>
    string Id { get; }

    string Title { get; }

    /// <summary>Runs the benchmark on the shared model; long runs report progress lines.</summary>
    BenchmarkResult Run(BenchContext context, TextWriter progress);
}
