namespace AvatarLab.Inference.Sampling;

/// <summary>One denoising step of the motion transformer (denoiser.onnx, or a test double).</summary>
public interface IDenoiser
{
    DenoiserShape Shape { get; }

    /// <summary>Reads the inputs of <paramref name="call"/> for its current sizes and writes its outputs.</summary>
    void Run(DenoiserCall call);

    /// <summary>Forgets whatever was prepared for <paramref name="call"/>'s buffers (a finished stream's).</summary>
    void Release(DenoiserCall call)
    {
    }
}
