namespace AvatarLab.Inference.Packages;

/// <summary>File names the contract fixes.</summary>
public static class ModelPackageFiles
{
    /// <summary>The manifest, at the package root.</summary>
    public const string Manifest = "avatarlab-model.json";

    /// <summary>The denoiser, at the package root.</summary>
    public const string Denoiser = "denoiser.onnx";
}
