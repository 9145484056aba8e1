using Microsoft.ML.OnnxRuntime;

namespace AvatarLab.Inference.Onnx;

/// <summary>
/// How the engine runs ONNX models; bound from the <c>Inference</c> configuration section
/// (<see cref="SectionName"/>).
/// </summary>
public sealed class InferenceOptions
{
    /// <summary>The configuration section these options bind from.</summary>
    public const string SectionName = "Inference";

    /// <summary>Execution device; <see cref="InferenceDevice.Auto"/> by default.</summary>
    public InferenceDevice Device { get; set; } = InferenceDevice.Auto;

    /// <summary>CUDA device ordinal used when the CUDA provider is chosen.</summary>
    public int CudaDeviceId { get; set; }

    /// <summary>Threads inside one operator; 0 lets ONNX Runtime choose (one per physical core).</summary>
    public int IntraOpThreads { get; set; }

    /// <summary>Threads across independent operators; 0 lets ONNX Runtime choose.</summary>
    public int InterOpThreads { get; set; }

    /// <summary>Graph optimization level; all optimizations by default.</summary>
    public GraphOptimizationLevel GraphOptimization { get; set; } = GraphOptimizationLevel.ORT_ENABLE_ALL;
}
