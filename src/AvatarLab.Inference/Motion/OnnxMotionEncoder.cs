using Microsoft.ML.OnnxRuntime;

namespace AvatarLab.Inference.Motion;

/// <summary>
/// The contract's optional motion_encoder.onnx: face-centred crops [T, 3, S, S] in [-1, 1] to
/// per-frame user-motion features [T, dim]. Uses the OrtValue API; one call per batch of frames.
/// </summary>
public sealed class OnnxMotionEncoder(InferenceSession session, int imageSize, int dim)
{
    public const string InputName = "frames";
    public const string OutputName = "motion";

    public int ImageSize { get; } = imageSize;
    public int FeatureDim { get; } = dim;

    /// <summary>Features [count, dim] of <paramref name="count"/> crops laid out [count, 3, S, S].</summary>
    public float[] Encode(float[] crops, int count)
    {
        var pixels = 3 * ImageSize * ImageSize;
        if (crops.Length < count * pixels)
        {
            throw new ArgumentException($"{count} crops of {ImageSize}x{ImageSize} need {count * pixels} values, got {crops.Length}");
        }

        using var input = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, crops.AsMemory(0, count * pixels),
            [count, 3, ImageSize, ImageSize]);
        using var results = session.Run(new RunOptions(), [InputName], [input], [OutputName]);
        var output = results[0].GetTensorDataAsSpan<float>();
        if (output.Length != count * FeatureDim)
        {
            throw new InvalidOperationException($"motion_encoder.onnx returned {output.Length} values for {count} frames; expected {count} x {FeatureDim}");
        }

        return output.ToArray();
    }
}
