using System.Text.Json.Serialization;

namespace AvatarLab.Inference.Packages;

/// <summary>Renderer: the built-in parametric face, or an identity encoder + renderer ONNX pair.</summary>
public sealed record RendererSpec
{
    /// <summary>The built-in parametric face; needs a face-params/1 latent.</summary>
    public const string ParametricFace = "parametric-face";

    /// <summary>The package's identity encoder and renderer.</summary>
    public const string Onnx = "onnx";

    /// <summary><see cref="ParametricFace"/> or <see cref="Onnx"/>.</summary>
    public required string Type { get; init; }

    /// <summary>Identity encoder file in the package (onnx).</summary>
    public string? IdentityEncoder { get; init; }

    /// <summary>Renderer file in the package (onnx); JSON name <c>renderer</c>.</summary>
    [JsonPropertyName("renderer")]
    public string? RendererFile { get; init; }

    /// <summary>Side of the square portrait and of the rendered frames (onnx).</summary>
    public int ImageSize { get; init; }
}
