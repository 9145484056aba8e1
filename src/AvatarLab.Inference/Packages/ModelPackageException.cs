namespace AvatarLab.Inference.Packages;

/// <summary>
/// A model package that does not follow the contract (docs/model-package.md). The message
/// starts with the file at fault, e.g. <c>denoiser.onnx: input 'past_key' has shape
/// [L, B, H, P, hd] = [4, ?, 4, ?, 32] but the manifest says headDim 24</c>.
/// </summary>
public sealed class ModelPackageException : Exception
{
    /// <summary>Creates the exception; the message becomes <c>"{file}: {detail}"</c>.</summary>
    /// <param name="file">The file at fault, relative to the package root (or the package's own name).</param>
    /// <param name="detail">What is wrong, for a person to read.</param>
    /// <param name="tensor">The ONNX input or output at fault, when there is one.</param>
    /// <param name="innerException">The underlying error (JSON parser, ONNX Runtime, I/O).</param>
    public ModelPackageException(string file, string detail, string? tensor = null, Exception? innerException = null)
        : base($"{file}: {detail}", innerException)
    {
        File = file;
        Detail = detail;
        Tensor = tensor;
    }

    /// <summary>The file at fault, relative to the package root (e.g. <c>denoiser.onnx</c>).</summary>
    public string File { get; }

    /// <summary>The ONNX input or output at fault, or null.</summary>
    public string? Tensor { get; }

    /// <summary>The message without the file name.</summary>
    public string Detail { get; }
}
