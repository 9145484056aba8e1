namespace AvatarLab.Inference.Telemetry;

/// <summary>One array of a serialized block record: its name, element type (f4 or f2) and shape.</summary>
public sealed record TelemetryArray(string Name, string Dtype, int[] Shape)
{
    public int Length => Shape.Aggregate(1, (a, b) => a * b);
}
