using System.Text.Json.Serialization;

namespace AvatarLab.Inference.Packages;

/// <summary>
/// Audio features: <c>logmel</c> (built in; MelBins x FramesPerVideoFrame values per frame)
/// or <c>onnx</c> (File = audio_encoder.onnx producing Dim values per frame).
/// </summary>
public sealed record AudioFeatureSpec
{
    /// <summary>The built-in log-mel features.</summary>
    public const string LogMel = "logmel";

    /// <summary>Features from the package's audio encoder.</summary>
    public const string Onnx = "onnx";

    /// <summary><see cref="LogMel"/> or <see cref="Onnx"/>.</summary>
    public required string Type { get; init; }

    /// <summary>Mel bins per mel frame (logmel).</summary>
    public int MelBins { get; init; }

    /// <summary>Mel frames per video frame (logmel); divides the samples per video frame.</summary>
    public int FramesPerVideoFrame { get; init; }

    /// <summary>Encoder file in the package (onnx).</summary>
    public string? File { get; init; }

    /// <summary>Encoder feature size per video frame (onnx).</summary>
    public int Dim { get; init; }

    /// <summary>Feature values per video frame.</summary>
    [JsonIgnore]
    public int FeatureDim => Type == LogMel ? MelBins * FramesPerVideoFrame : Dim;
}
