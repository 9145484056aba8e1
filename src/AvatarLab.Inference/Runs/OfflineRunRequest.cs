using AvatarLab.Inference.Sampling;

namespace AvatarLab.Inference.Runs;

/// <summary>What to render a finished run as.</summary>
public enum RenderOutput
{
    None,
    Png,
    Mp4,
}

/// <summary>
/// An offline run: recorded inputs (any may be missing: a missing stream is a dropped, all-zero
/// condition), sampler options, and where the results go.
/// </summary>
public sealed record OfflineRunRequest
{
    public string? AvatarAudioPath { get; init; }
    public string? UserAudioPath { get; init; }

    /// <summary>A face-params/1 track (CSV or JSON, docs/motion-tracks.md).</summary>
    public string? UserMotionPath { get; init; }

    /// <summary>The user's video, for models whose user motion comes from motion_encoder.onnx over face crops.</summary>
    public string? UserVideoPath { get; init; }

    /// <summary>Portrait image for models with an ONNX renderer.</summary>
    public string? PortraitPath { get; init; }

    public SamplerOptions Sampler { get; init; } = new();

    /// <summary>Folder that receives motion.csv, telemetry.altel, run.json and the rendering.</summary>
    public required string OutputDirectory { get; init; }

    public RenderOutput Render { get; init; } = RenderOutput.Mp4;
    public int FrameSize { get; init; } = 256;

    /// <summary>Longest input accepted, in seconds.</summary>
    public double MaxSeconds { get; init; } = 3600;

    /// <summary>Frames pushed into the stream at a time (simulates live arrival; one block by default).</summary>
    public int ChunkFrames { get; init; }
}
