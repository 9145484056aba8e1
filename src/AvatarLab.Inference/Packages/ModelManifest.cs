using System.Text.Json.Serialization;

namespace AvatarLab.Inference.Packages;

/// <summary>
/// The manifest <c>avatarlab-model.json</c> of a model package (contract v1,
/// docs/model-package.md). Property names are the contract's camelCase names; unknown
/// fields are ignored. <see cref="ManifestReader"/> checks required fields and values.
/// </summary>
public sealed record ModelManifest
{
    /// <summary>The only <see cref="Format"/> this engine reads.</summary>
    public const string FormatV1 = "avatarlab-model/1";

    /// <summary>Contract version; must be <see cref="FormatV1"/>.</summary>
    public required string Format { get; init; }

    /// <summary>Model name shown in the dashboard.</summary>
    public required string Name { get; init; }

    /// <summary>Model version (free text, semantic versioning recommended).</summary>
    public required string Version { get; init; }

    /// <summary>Optional one-paragraph description.</summary>
    public string Description { get; init; } = "";

    /// <summary>Video frames per second of the motion latents.</summary>
    public required int Fps { get; init; }

    /// <summary>Audio sample rate in Hz; a multiple of <see cref="Fps"/>.</summary>
    public required int SampleRate { get; init; }

    /// <summary>The motion latent the denoiser generates.</summary>
    public required LatentSpec Latent { get; init; }

    /// <summary>Streaming window sizes.</summary>
    public required WindowSpec Window { get; init; }

    /// <summary>Sizes of the denoiser's attention caches.</summary>
    public required TransformerSpec Transformer { get; init; }

    /// <summary>Flow-matching schedule settings.</summary>
    public required DiffusionSpec Diffusion { get; init; }

    /// <summary>Default classifier-free guidance scales.</summary>
    public required GuidanceSpec Guidance { get; init; }

    /// <summary>How audio and user motion become per-frame features.</summary>
    public required FeaturesSpec Features { get; init; }

    /// <summary>How motion latents become video frames.</summary>
    public required RendererSpec Renderer { get; init; }

    /// <summary>Audio samples per video frame (640 for 16 kHz at 25 fps).</summary>
    [JsonIgnore]
    public int SamplesPerFrame => SampleRate / Fps;
}
