namespace AvatarLab.Inference.Onnx;

/// <summary>
/// The execution provider a package's sessions use and why it was chosen, e.g.
/// <c>("CPU", "CPU: CUDA provider unavailable: libcudart.so.12 not found")</c>.
/// </summary>
/// <param name="Provider"><see cref="Cpu"/> or <see cref="Cuda"/>.</param>
/// <param name="Reason">One line for logs and the dashboard.</param>
public sealed record ExecutionProviderInfo(string Provider, string Reason)
{
    /// <summary>The CPU execution provider.</summary>
    public const string Cpu = "CPU";

    /// <summary>The CUDA execution provider.</summary>
    public const string Cuda = "CUDA";

    /// <summary>Whether the sessions run on a CUDA device.</summary>
    public bool IsCuda => Provider == Cuda;
}
