using System.Text.Json;

namespace AvatarLab.Inference.Packages;

/// <summary>
/// Value rules of the manifest (docs/model-package.md, "Validation"): strict where the
/// contract speaks, permissive where it is silent (e.g. cache lengths other than the
/// reference model's are allowed).
/// </summary>
internal static class ManifestValidator
{
    public static void Validate(ModelManifest m, JsonElement root)
    {
        if (m.Format != ModelManifest.FormatV1)
        {
            throw Error($"format is '{m.Format}' but this engine reads '{ModelManifest.FormatV1}'");
        }

        NotBlank(m.Name, "name");
        NotBlank(m.Version, "version");
        Positive(m.Fps, "fps");
        Positive(m.SampleRate, "sampleRate");
        if (m.SampleRate % m.Fps != 0)
        {
            throw Error($"sampleRate ({m.SampleRate}) must be a multiple of fps ({m.Fps}): audio is cut into whole video frames");
        }

        ValidateLatent(m.Latent);
        ValidateWindow(m.Window);
        Positive(m.Transformer.Layers, "transformer.layers");
        Positive(m.Transformer.Heads, "transformer.heads");
        Positive(m.Transformer.HeadDim, "transformer.headDim");
        ValidateDiffusion(m.Diffusion);
        if (m.Diffusion.ClampToLatentRange && m.Latent.Space != LatentSpec.FaceParams)
        {
            throw Error($"diffusion.clampToLatentRange needs latent.space '{LatentSpec.FaceParams}' (the only space with defined ranges), got '{m.Latent.Space}'");
        }
        Finite(m.Guidance.AvatarAudio, "guidance.avatarAudio");
        Finite(m.Guidance.User, "guidance.user");
        ValidateAudio(m.Features.Audio, m.SamplesPerFrame, root);
        ValidateUserMotion(m.Features.UserMotion, root);
        ValidateRenderer(m.Renderer, m.Latent, root);
    }

    private static void ValidateLatent(LatentSpec latent)
    {
        Positive(latent.Dim, "latent.dim");
        if (latent.Space == LatentSpec.FaceParams)
        {
            if (latent.Dim != Motion.FaceParams.ChannelCount)
            {
                throw Error($"latent.dim is {latent.Dim} but latent.space '{LatentSpec.FaceParams}' has {Motion.FaceParams.ChannelCount} channels");
            }
        }
        else if (latent.Space != LatentSpec.Opaque)
        {
            throw Error($"latent.space is '{latent.Space}'; expected '{LatentSpec.FaceParams}' or '{LatentSpec.Opaque}'");
        }

        if (latent.Channels is { } channels && channels.Count != latent.Dim)
        {
            throw Error($"latent.channels has {channels.Count} names but latent.dim is {latent.Dim}");
        }
    }

    private static void ValidateWindow(WindowSpec w)
    {
        Positive(w.ClipFrames, "window.clipFrames");
        Positive(w.BlockFrames, "window.blockFrames");
        NonNegative(w.ContextFrames, "window.contextFrames");
        NonNegative(w.LookaheadFrames, "window.lookaheadFrames");
        NonNegative(w.SelfCacheFrames, "window.selfCacheFrames");
        NonNegative(w.CrossCacheFrames, "window.crossCacheFrames");
        if (w.ClipFrames < w.BlockFrames + w.ContextFrames)
        {
            throw Error($"window.clipFrames ({w.ClipFrames}) must be at least blockFrames + contextFrames "
                + $"({w.BlockFrames} + {w.ContextFrames} = {w.BlockFrames + w.ContextFrames})");
        }
    }

    private static void ValidateDiffusion(DiffusionSpec d)
    {
        Positive(d.TrainTimesteps, "diffusion.trainTimesteps");
        Positive(d.DefaultNfe, "diffusion.defaultNfe");
        Finite(d.Shift, "diffusion.shift");
        if (d.Shift <= 0)
        {
            throw Error($"diffusion.shift must be positive, got {d.Shift}");
        }
    }

    private static void ValidateAudio(AudioFeatureSpec audio, int samplesPerFrame, JsonElement root)
    {
        switch (audio.Type)
        {
            case AudioFeatureSpec.LogMel:
                ManifestRequiredFields.Require(root, "features.audio.melBins", "type 'logmel'");
                ManifestRequiredFields.Require(root, "features.audio.framesPerVideoFrame", "type 'logmel'");
                Positive(audio.MelBins, "features.audio.melBins");
                Positive(audio.FramesPerVideoFrame, "features.audio.framesPerVideoFrame");
                if (samplesPerFrame % audio.FramesPerVideoFrame != 0)
                {
                    throw Error($"features.audio.framesPerVideoFrame ({audio.FramesPerVideoFrame}) must divide "
                        + $"sampleRate / fps ({samplesPerFrame}): mel frames must tile video frames");
                }

                break;
            case AudioFeatureSpec.Onnx:
                ManifestRequiredFields.Require(root, "features.audio.file", "type 'onnx'");
                ManifestRequiredFields.Require(root, "features.audio.dim", "type 'onnx'");
                PackageFile(audio.File!, "features.audio.file");
                Positive(audio.Dim, "features.audio.dim");
                break;
            default:
                throw Error($"features.audio.type is '{audio.Type}'; expected '{AudioFeatureSpec.LogMel}' or '{AudioFeatureSpec.Onnx}'");
        }
    }

    private static void ValidateUserMotion(UserMotionSpec motion, JsonElement root)
    {
        switch (motion.Type)
        {
            case UserMotionSpec.FaceParams:
                break;
            case UserMotionSpec.Onnx:
                ManifestRequiredFields.Require(root, "features.userMotion.file", "type 'onnx'");
                ManifestRequiredFields.Require(root, "features.userMotion.imageSize", "type 'onnx'");
                ManifestRequiredFields.Require(root, "features.userMotion.dim", "type 'onnx'");
                PackageFile(motion.File!, "features.userMotion.file");
                Positive(motion.ImageSize, "features.userMotion.imageSize");
                Positive(motion.Dim, "features.userMotion.dim");
                break;
            default:
                throw Error($"features.userMotion.type is '{motion.Type}'; expected '{UserMotionSpec.FaceParams}' or '{UserMotionSpec.Onnx}'");
        }
    }

    private static void ValidateRenderer(RendererSpec renderer, LatentSpec latent, JsonElement root)
    {
        switch (renderer.Type)
        {
            case RendererSpec.ParametricFace:
                if (latent.Space != LatentSpec.FaceParams)
                {
                    throw Error($"renderer.type '{RendererSpec.ParametricFace}' draws face parameters, but latent.space is "
                        + $"'{latent.Space}': ship identity_encoder.onnx + renderer.onnx (renderer.type 'onnx') for this latent");
                }

                break;
            case RendererSpec.Onnx:
                ManifestRequiredFields.Require(root, "renderer.identityEncoder", "type 'onnx'");
                ManifestRequiredFields.Require(root, "renderer.renderer", "type 'onnx'");
                ManifestRequiredFields.Require(root, "renderer.imageSize", "type 'onnx'");
                PackageFile(renderer.IdentityEncoder!, "renderer.identityEncoder");
                PackageFile(renderer.RendererFile!, "renderer.renderer");
                Positive(renderer.ImageSize, "renderer.imageSize");
                break;
            default:
                throw Error($"renderer.type is '{renderer.Type}'; expected '{RendererSpec.ParametricFace}' or '{RendererSpec.Onnx}'");
        }
    }

    // A referenced file must stay inside the package: no rooted paths, no "..".
    private static void PackageFile(string file, string field)
    {
        var parts = file.Split('/', '\\');
        if (string.IsNullOrWhiteSpace(file) || Path.IsPathRooted(file) || file.Contains(':')
            || parts.Any(p => p is ".." or ""))
        {
            throw Error($"{field} '{file}' must be a relative path inside the package");
        }
    }

    private static void NotBlank(string value, string field)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            throw Error($"{field} must not be empty");
        }
    }

    private static void Positive(int value, string field)
    {
        if (value <= 0)
        {
            throw Error($"{field} must be positive, got {value}");
        }
    }

    private static void NonNegative(int value, string field)
    {
        if (value < 0)
        {
            throw Error($"{field} must not be negative, got {value}");
        }
    }

    private static void Finite(double value, string field)
    {
        if (!double.IsFinite(value))
        {
            throw Error($"{field} must be a finite number, got {value}");
        }
    }

    private static ModelPackageException Error(string detail) => ManifestReader.Error(detail);
}
