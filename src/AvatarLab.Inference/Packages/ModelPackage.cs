using AvatarLab.Inference.Onnx;
using Microsoft.ML.OnnxRuntime;

namespace AvatarLab.Inference.Packages;

/// <summary>
/// A loaded model package (contract v1, docs/model-package.md): the validated manifest and
/// one <see cref="InferenceSession"/> per ONNX file, all sharing one set of session options.
/// Dispose it to release the sessions and, for a .zip, its extracted folder.
/// </summary>
public sealed class ModelPackage : IDisposable
{
    private readonly OnnxSessionFactory _factory;
    private readonly PackageSessions _sessions;
    private readonly string? _extractedTo;
    private bool _disposed;

    private ModelPackage(string source, string directory, string? extractedTo, ModelManifest manifest,
        OnnxSessionFactory factory, PackageSessions sessions)
    {
        Source = source;
        Directory = directory;
        _extractedTo = extractedTo;
        Manifest = manifest;
        _factory = factory;
        _sessions = sessions;
    }

    /// <summary>The folder or .zip the package was opened from.</summary>
    public string Source { get; }

    /// <summary>The folder holding the package's files (inside the extraction folder for a .zip).</summary>
    public string Directory { get; }

    /// <summary>Whether <see cref="Directory"/> is a temporary extraction that <see cref="Dispose"/> deletes.</summary>
    public bool IsExtracted => _extractedTo is not null;

    /// <summary>The validated manifest.</summary>
    public ModelManifest Manifest { get; }

    /// <summary>The execution provider the sessions use, and why.</summary>
    public ExecutionProviderInfo ExecutionProvider => _factory.Provider;

    /// <summary>The denoiser (<c>denoiser.onnx</c>).</summary>
    public InferenceSession Denoiser => _sessions.Denoiser;

    /// <summary>The audio encoder when <c>features.audio.type</c> is <c>onnx</c>, otherwise null.</summary>
    public InferenceSession? AudioEncoder => _sessions.AudioEncoder;

    /// <summary>The user-motion encoder when <c>features.userMotion.type</c> is <c>onnx</c>, otherwise null.</summary>
    public InferenceSession? MotionEncoder => _sessions.MotionEncoder;

    /// <summary>The identity encoder when <c>renderer.type</c> is <c>onnx</c>, otherwise null.</summary>
    public InferenceSession? IdentityEncoder => _sessions.IdentityEncoder;

    /// <summary>The renderer when <c>renderer.type</c> is <c>onnx</c>, otherwise null.</summary>
    public InferenceSession? Renderer => _sessions.Renderer;

    /// <summary>Whether the denoiser has the optional <c>self_attention</c> output.</summary>
    public bool HasSelfAttentionOutput => _sessions.DenoiserOptionalOutputs.Contains(ContractTables.SelfAttention);

    /// <summary>Whether the denoiser has the optional <c>cross_attention</c> output.</summary>
    public bool HasCrossAttentionOutput => _sessions.DenoiserOptionalOutputs.Contains(ContractTables.CrossAttention);

    /// <summary>Whether the denoiser exports any attention weights (either optional output).</summary>
    public bool HasAttentionOutputs => HasSelfAttentionOutput || HasCrossAttentionOutput;

    /// <summary>Whether the identity encoder outputs <c>identity</c> [1, D] for the denoiser; otherwise the engine feeds zeros.</summary>
    public bool HasIdentityOutput => _sessions.HasIdentityOutput;

    /// <summary>
    /// Opens the package at <paramref name="path"/>: a folder, or a .zip holding the package
    /// at its root or inside a single top-level folder. Validates the manifest and every
    /// ONNX file against the contract and creates their sessions.
    /// </summary>
    /// <exception cref="ModelPackageException">The package breaks the contract; the message names the file and field or tensor.</exception>
    /// <exception cref="ExecutionProviderException">CUDA was requested explicitly and is unavailable.</exception>
    public static ModelPackage Open(string path, ModelPackageOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        options ??= new ModelPackageOptions();
        var source = Path.GetFullPath(path);
        var name = Path.GetFileName(source.TrimEnd(Path.DirectorySeparatorChar));

        string? extractedTo = null;
        OnnxSessionFactory? factory = null;
        try
        {
            string root;
            if (System.IO.Directory.Exists(source))
            {
                root = source;
            }
            else if (File.Exists(source) && source.EndsWith(".zip", StringComparison.OrdinalIgnoreCase))
            {
                extractedTo = CreateExtractionFolder(options);
                PackageArchive.Extract(source, extractedTo, options.MaxZipUncompressedBytes);
                root = PackageArchive.FindPackageRoot(extractedTo, name);
            }
            else
            {
                throw new ModelPackageException(name, File.Exists(source)
                    ? "is neither a folder nor a .zip file"
                    : $"not found ({source})");
            }

            var manifest = ManifestReader.Read(Path.Combine(root, ModelPackageFiles.Manifest));
            factory = new OnnxSessionFactory(options.Inference);
            var sessions = PackageSessions.Load(root, manifest, factory);
            return new ModelPackage(source, root, extractedTo, manifest, factory, sessions);
        }
        catch
        {
            factory?.Dispose();
            DeleteQuietly(extractedTo);
            throw;
        }
    }

    /// <summary>Disposes the sessions and the session options, and deletes an extracted .zip.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _sessions.Dispose();
        _factory.Dispose();
        DeleteQuietly(_extractedTo);
    }

    private static string CreateExtractionFolder(ModelPackageOptions options)
    {
        const string prefix = "avatarlab-package-";
        if (options.ExtractionDirectory is null)
        {
            return System.IO.Directory.CreateTempSubdirectory(prefix).FullName;
        }

        var folder = Path.Combine(Path.GetFullPath(options.ExtractionDirectory), prefix + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(folder);
        return folder;
    }

    // Deleting a temp folder must not turn a load error (or Dispose) into a different error.
    private static void DeleteQuietly(string? folder)
    {
        if (folder is null)
        {
            return;
        }

        try
        {
            System.IO.Directory.Delete(folder, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
        }
    }
}
