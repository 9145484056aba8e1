namespace AvatarLab.Bench.Reporting;

/// <summary>Where and on what the benchmarks ran: needed to compare any two reports.</summary>
internal sealed record RunInfo(
    string Tool,
    DateTimeOffset StartedUtc,
    bool Quick,
    MachineInfo Machine,
    ModelInfo Model,
    InferenceInfo Inference,
    IReadOnlyList<string> Warnings);

internal sealed record MachineInfo(int ProcessorCount, string Os, string Architecture, string Runtime, string Gc);

internal sealed record ModelInfo(
    string Name,
    string Version,
    string Path,
    int Fps,
    int ClipFrames,
    int BlockFrames,
    int ContextFrames,
    int Layers,
    int Heads,
    int HeadDim,
    int LatentDim,
    bool AttentionOutputs);

/// <summary>The execution provider the package's sessions use and why, and their threading.</summary>
internal sealed record InferenceInfo(string Provider, string Reason, string RequestedDevice, int IntraOpThreads, int InterOpThreads);
