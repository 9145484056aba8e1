using AvatarLab.Inference.Onnx;

namespace AvatarLab.Inference.Packages;

/// <summary>How <see cref="ModelPackage.Open"/> loads a package.</summary>
public sealed class ModelPackageOptions
{
    /// <summary>2 GiB: far above any avatar model (the reference package is a few MB) and below what fills a small disk.</summary>
    public const long DefaultMaxZipUncompressedBytes = 2L * 1024 * 1024 * 1024;

    /// <summary>Execution provider and threading for the package's sessions.</summary>
    public InferenceOptions Inference { get; set; } = new();

    /// <summary>A .zip whose entries add up to more than this many bytes is refused before extraction.</summary>
    public long MaxZipUncompressedBytes { get; set; } = DefaultMaxZipUncompressedBytes;

    /// <summary>Where .zip packages are extracted (a fresh subfolder each); the system temp folder when null.</summary>
    public string? ExtractionDirectory { get; set; }
}
