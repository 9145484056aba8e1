using AvatarLab.Inference.Packages;
using AvatarLab.Inference.Sampling;

namespace AvatarLab.Inference;

/// <summary>
/// A loaded model package ready to generate: owns the package and one denoiser shared by
/// every stream created from it (ONNX Runtime sessions are thread-safe; each stream has its
/// own buffers and cache).
/// </summary>
public sealed class AvatarModel : IDisposable
{
    private readonly OnnxDenoiser _denoiser;

    public AvatarModel(ModelPackage package)
    {
        Package = package;
        var m = package.Manifest;
        Shape = new DenoiserShape(
            m.Latent.Dim,
            m.Features.Audio.FeatureDim,
            m.Features.Audio.FeatureDim,
            m.Features.UserMotion.FeatureDim,
            m.Transformer.Layers,
            m.Transformer.Heads,
            m.Transformer.HeadDim,
            m.Diffusion.TrainTimesteps,
            package.HasSelfAttentionOutput,
            package.HasCrossAttentionOutput);
        Window = StreamWindow.From(m.Window);
        _denoiser = new OnnxDenoiser(package.Denoiser, Shape);
    }

    /// <summary>Opens a package folder or .zip and prepares it.</summary>
    public static AvatarModel Open(string path, ModelPackageOptions? options = null) => new(ModelPackage.Open(path, options));

    public ModelPackage Package { get; }
    public ModelManifest Manifest => Package.Manifest;
    public DenoiserShape Shape { get; }
    public StreamWindow Window { get; }
    public IDenoiser Denoiser => _denoiser;

    /// <summary>A new streaming session; options left null take the manifest's defaults.</summary>
    public StreamingSampler CreateStream(SamplerOptions options, INoiseSource? noise = null)
    {
        var m = Manifest;
        var clamp = options.ClampToLatentRange ?? m.Diffusion.ClampToLatentRange;
        if (clamp && m.Latent.Space != Packages.LatentSpec.FaceParams)
        {
            throw new ArgumentException($"clamping to the latent range needs a '{Packages.LatentSpec.FaceParams}' latent; this model's is '{m.Latent.Space}'");
        }

        return new StreamingSampler(_denoiser, Window, m.Diffusion.TrainTimesteps, m.Diffusion.DefaultNfe,
            m.Guidance.AvatarAudio, m.Guidance.User, options, noise, m.Diffusion.Shift,
            clamp ? Motion.FaceParams.Ranges.Select(r => ((double)r.Min, (double)r.Max)).ToArray() : null);
    }

    public void Dispose()
    {
        _denoiser.Dispose();
        Package.Dispose();
    }
}
