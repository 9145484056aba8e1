// avatarlab-bench: per-block compute, cache speed-up, input-to-frame latency, allocations and
// an hour-long stream of the engine's streaming sampler, each next to its target.
//
//   dotnet run --project bench/AvatarLab.Bench -c Release -- [--model models/reference] [--json bench/results.json] [--quick]
//
// Exit codes: 0 the benchmarks ran (targets are reported, not asserted), 2 bad arguments or model.
using AvatarLab.Bench;

return BenchmarkSuite.Run(args, Console.Out);
