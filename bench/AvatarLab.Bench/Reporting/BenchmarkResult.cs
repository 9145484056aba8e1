namespace AvatarLab.Bench.Reporting;

/// <summary>What one benchmark measured.</summary>
/// <param name="Id">Stable name for scripts reading the JSON.</param>
/// <param name="Title">One line for the table.</param>
/// <param name="Setup">How it was measured (sampler, sizes, block counts).</param>
/// <param name="Measurements">The numbers, in the order the table shows them.</param>
internal sealed record BenchmarkResult(string Id, string Title, string Setup, IReadOnlyList<Measurement> Measurements);
