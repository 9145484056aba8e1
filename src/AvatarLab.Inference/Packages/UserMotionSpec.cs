using System.Text.Json.Serialization;

namespace AvatarLab.Inference.Packages;

/// <summary>User motion: the face-params/1 track itself, or motion_encoder.onnx over face crops.</summary>
public sealed record UserMotionSpec
{
    /// <summary>The built-in face-parameter track (12 values per frame).</summary>
    public const string FaceParams = "face-params/1";

    /// <summary>Features from the package's motion encoder.</summary>
    public const string Onnx = "onnx";

    /// <summary><see cref="FaceParams"/> or <see cref="Onnx"/>.</summary>
    public required string Type { get; init; }

    /// <summary>Encoder file in the package (onnx).</summary>
    public string? File { get; init; }

    /// <summary>Side of the square face crops the encoder takes (onnx).</summary>
    public int ImageSize { get; init; }

    /// <summary>Encoder feature size per frame (onnx).</summary>
    public int Dim { get; init; }

    /// <summary>Feature values per video frame (12 for face-params/1).</summary>
    [JsonIgnore]
    public int FeatureDim => Type == FaceParams ? Motion.FaceParams.ChannelCount : Dim;
}
