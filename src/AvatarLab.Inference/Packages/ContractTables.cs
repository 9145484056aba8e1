using Microsoft.ML.OnnxRuntime.Tensors;

namespace AvatarLab.Inference.Packages;

/// <summary>
/// The contract's input and output tables (docs/model-package.md) with the sizes a given
/// manifest fixes filled in.
/// </summary>
internal static class ContractTables
{
    public const string SelfAttention = "self_attention";
    public const string CrossAttention = "cross_attention";
    public const string Identity = "identity";
    public const string Motion = "motion";

    private static readonly DimRule _b = DimRule.Dynamic("B");
    private static readonly DimRule _n = DimRule.Dynamic("N");
    private static readonly DimRule _t = DimRule.Dynamic("T");
    private static readonly DimRule _one = DimRule.Contract("1", 1);
    private static readonly DimRule _rgb = DimRule.Contract("3", 3);

    public static (IReadOnlyList<TensorRule> Inputs, IReadOnlyList<TensorRule> Outputs) Denoiser(ModelManifest m)
    {
        var d = DimRule.Manifest("D", m.Latent.Dim, "latent.dim");
        var audio = m.Features.Audio;
        var audioSource = audio.Type == AudioFeatureSpec.LogMel
            ? "features.audio melBins x framesPerVideoFrame ="
            : "features.audio.dim";
        var fa = DimRule.Manifest("Fa", audio.FeatureDim, audioSource);
        var fu = DimRule.Manifest("Fu", audio.FeatureDim, audioSource);
        var fm = DimRule.Manifest("Fm", m.Features.UserMotion.FeatureDim,
            m.Features.UserMotion.Type == UserMotionSpec.Onnx ? "features.userMotion.dim" : "face-params/1 channels");
        var l = DimRule.Manifest("L", m.Transformer.Layers, "layers");
        var h = DimRule.Manifest("H", m.Transformer.Heads, "heads");
        var hd = DimRule.Manifest("hd", m.Transformer.HeadDim, "headDim");
        var p = DimRule.Dynamic("P");
        var pc = DimRule.Dynamic("Pc");

        TensorRule[] inputs =
        [
            TensorRule.Float("x", _b, _n, d),
            TensorRule.Float("t", _b, _n),
            TensorRule.Float("avatar_audio", _b, _n, fa),
            TensorRule.Float("user_audio", _b, _n, fu),
            TensorRule.Float("user_motion", _b, _n, fm),
            TensorRule.Float(Identity, _b, d),
            new("start_pos", TensorElementType.Int64, []),
            TensorRule.Float("past_key", l, _b, h, p, hd),
            TensorRule.Float("past_value", l, _b, h, p, hd),
            TensorRule.Float("past_cross_key", l, _b, h, pc, hd),
            TensorRule.Float("past_cross_value", l, _b, h, pc, hd),
        ];
        TensorRule[] outputs =
        [
            TensorRule.Float("velocity", _b, _n, d),
            TensorRule.Float("present_key", l, _b, h, _n, hd),
            TensorRule.Float("present_value", l, _b, h, _n, hd),
            TensorRule.Float("present_cross_key", l, _b, h, _n, hd),
            TensorRule.Float("present_cross_value", l, _b, h, _n, hd),
            TensorRule.Float(SelfAttention, l, _b, h, _n, DimRule.Dynamic("P + N")) with { Optional = true },
            TensorRule.Float(CrossAttention, l, _b, h, _n, DimRule.Dynamic("Pc + N")) with { Optional = true },
        ];
        return (inputs, outputs);
    }

    public static (IReadOnlyList<TensorRule> Inputs, IReadOnlyList<TensorRule> Outputs) AudioEncoder(AudioFeatureSpec audio) =>
        ([TensorRule.Float("audio", _one, DimRule.Dynamic("S"))],
         [TensorRule.Float("features", _one, DimRule.Dynamic("S * fps / sampleRate"), DimRule.Manifest("dim", audio.Dim, "features.audio.dim"))]);

    public static (IReadOnlyList<TensorRule> Inputs, IReadOnlyList<TensorRule> Outputs) MotionEncoder(UserMotionSpec motion)
    {
        var size = DimRule.Manifest("imageSize", motion.ImageSize, "features.userMotion.imageSize");
        return ([TensorRule.Float("frames", _t, _rgb, size, size)],
                [TensorRule.Float(Motion, _t, DimRule.Manifest("dim", motion.Dim, "features.userMotion.dim"))]);
    }

    /// <summary>The identity encoder's outputs are free; only <c>identity</c>, when present, is fixed.</summary>
    public static (IReadOnlyList<TensorRule> Inputs, IReadOnlyList<TensorRule> Outputs) IdentityEncoder(ModelManifest m)
    {
        var size = DimRule.Manifest("imageSize", m.Renderer.ImageSize, "renderer.imageSize");
        return ([TensorRule.Float("portrait", _one, _rgb, size, size)],
                [TensorRule.Float(Identity, _one, DimRule.Manifest("D", m.Latent.Dim, "latent.dim")) with { Optional = true }]);
    }

    /// <summary>Only <c>motion</c>; the renderer's other inputs are checked against the identity encoder's outputs.</summary>
    public static (IReadOnlyList<TensorRule> Inputs, IReadOnlyList<TensorRule> Outputs) Renderer(ModelManifest m)
    {
        var size = DimRule.Manifest("imageSize", m.Renderer.ImageSize, "renderer.imageSize");
        return ([TensorRule.Float(Motion, _t, DimRule.Manifest("D", m.Latent.Dim, "latent.dim"))],
                [TensorRule.Float("frames", _t, _rgb, size, size)]);
    }
}
