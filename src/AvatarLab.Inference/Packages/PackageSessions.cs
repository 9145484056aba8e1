using AvatarLab.Inference.Onnx;
using Microsoft.ML.OnnxRuntime;

namespace AvatarLab.Inference.Packages;

/// <summary>
/// The ONNX sessions of one package, each created once and validated against the
/// contract; disposes the ones already created when a later one fails.
/// </summary>
internal sealed class PackageSessions : IDisposable
{
    private readonly List<InferenceSession> _all = [];

    private PackageSessions()
    {
    }

    public InferenceSession Denoiser { get; private set; } = null!;
    public InferenceSession? AudioEncoder { get; private set; }
    public InferenceSession? MotionEncoder { get; private set; }
    public InferenceSession? IdentityEncoder { get; private set; }
    public InferenceSession? Renderer { get; private set; }
    public IReadOnlySet<string> DenoiserOptionalOutputs { get; private set; } = new HashSet<string>();
    public bool HasIdentityOutput { get; private set; }

    public static PackageSessions Load(string root, ModelManifest m, OnnxSessionFactory factory)
    {
        var audio = m.Features.Audio;
        var motion = m.Features.UserMotion;
        var renderer = m.Renderer;
        var audioFile = audio.Type == AudioFeatureSpec.Onnx ? audio.File : null;
        var motionFile = motion.Type == UserMotionSpec.Onnx ? motion.File : null;
        var identityFile = renderer.Type == RendererSpec.Onnx ? renderer.IdentityEncoder : null;
        var rendererFile = renderer.Type == RendererSpec.Onnx ? renderer.RendererFile : null;

        // Every file first: a missing one is reported before minutes of session creation.
        RequireFile(root, ModelPackageFiles.Denoiser, "required by the contract");
        RequireFile(root, audioFile, "named by features.audio.file");
        RequireFile(root, motionFile, "named by features.userMotion.file");
        RequireFile(root, identityFile, "named by renderer.identityEncoder");
        RequireFile(root, rendererFile, "named by renderer.renderer");

        var sessions = new PackageSessions();
        try
        {
            sessions.Denoiser = sessions.Create(root, ModelPackageFiles.Denoiser, factory);
            sessions.DenoiserOptionalOutputs = Validate(ModelPackageFiles.Denoiser, sessions.Denoiser, ContractTables.Denoiser(m));
            if (audioFile is not null)
            {
                sessions.AudioEncoder = sessions.Create(root, audioFile, factory);
                Validate(audioFile, sessions.AudioEncoder, ContractTables.AudioEncoder(audio));
            }

            if (motionFile is not null)
            {
                sessions.MotionEncoder = sessions.Create(root, motionFile, factory);
                Validate(motionFile, sessions.MotionEncoder, ContractTables.MotionEncoder(motion));
            }

            if (identityFile is not null && rendererFile is not null)
            {
                sessions.LoadRenderer(root, m, identityFile, rendererFile, factory);
            }

            return sessions;
        }
        catch
        {
            sessions.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        foreach (var session in _all)
        {
            session.Dispose();
        }

        _all.Clear();
    }

    private void LoadRenderer(string root, ModelManifest m, string identityFile, string rendererFile, OnnxSessionFactory factory)
    {
        IdentityEncoder = Create(root, identityFile, factory);
        HasIdentityOutput = Validate(identityFile, IdentityEncoder, ContractTables.IdentityEncoder(m)).Contains(ContractTables.Identity);
        Renderer = Create(root, rendererFile, factory);

        // The renderer takes the identity encoder's outputs by name, plus `motion`.
        var identityOutputs = OnnxTensorInfo.From(IdentityEncoder.OutputMetadata);
        var rendererInputs = OnnxTensorInfo.From(Renderer.InputMetadata);
        SessionValidator.Validate(rendererFile, rendererInputs, OnnxTensorInfo.From(Renderer.OutputMetadata),
            ContractTables.Renderer(m), identityOutputs.Keys.ToHashSet());
        foreach (var (name, input) in rendererInputs.Where(i => i.Key != ContractTables.Motion))
        {
            SessionValidator.CheckSameTensor(rendererFile, name, input, identityFile, identityOutputs[name]);
        }
    }

    private InferenceSession Create(string root, string file, OnnxSessionFactory factory)
    {
        try
        {
            var session = factory.Create(Path.Combine(root, file));
            _all.Add(session);
            return session;
        }
        catch (OnnxRuntimeException ex)
        {
            throw new ModelPackageException(file,
                $"ONNX Runtime cannot load it ({ExecutionProviderSelector.Summarize(ex)})", innerException: ex);
        }
    }

    private static IReadOnlySet<string> Validate(
        string file, InferenceSession session, (IReadOnlyList<TensorRule> Inputs, IReadOnlyList<TensorRule> Outputs) rules) =>
        SessionValidator.Validate(file, OnnxTensorInfo.From(session.InputMetadata), OnnxTensorInfo.From(session.OutputMetadata), rules);

    private static void RequireFile(string root, string? file, string why)
    {
        if (file is not null && !File.Exists(Path.Combine(root, file)))
        {
            throw new ModelPackageException(file, $"not found in the package ({why})");
        }
    }
}
