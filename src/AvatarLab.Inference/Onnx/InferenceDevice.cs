namespace AvatarLab.Inference.Onnx;

/// <summary>Where ONNX Runtime runs the model files.</summary>
public enum InferenceDevice
{
    /// <summary>CUDA when this machine can run it, otherwise the CPU; never fails for lack of a GPU.</summary>
    Auto,

    /// <summary>The CPU execution provider.</summary>
    Cpu,

    /// <summary>The CUDA execution provider; loading fails when it is unavailable.</summary>
    Cuda,
}
