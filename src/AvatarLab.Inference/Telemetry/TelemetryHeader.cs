namespace AvatarLab.Inference.Telemetry;

/// <summary>What a telemetry stream describes: the model, the sampler settings and the time base.</summary>
public sealed record TelemetryHeader
{
    public string Format { get; init; } = TelemetryFormat.Name;
    public required string Model { get; init; }
    public required string ModelVersion { get; init; }
    public required int Fps { get; init; }
    public required int LatentDim { get; init; }
    public required IReadOnlyList<string> Channels { get; init; }
    public required string Sampler { get; init; }
    public required string Schedule { get; init; }
    public required int Nfe { get; init; }
    public required double AvatarAudioScale { get; init; }
    public required double UserScale { get; init; }
    public required ulong Seed { get; init; }
    public required string Dropped { get; init; }
    public required string Device { get; init; }
    public IReadOnlyList<double> Timesteps { get; init; } = [];
}
