using AvatarLab.Inference.Onnx;
using AvatarLab.Inference.Packages;

namespace AvatarLab.Inference.Tests.Packages;

internal static class TestOptions
{
    /// <summary>CPU with one thread: deterministic and light on a shared 2-core machine.</summary>
    public static ModelPackageOptions Cpu() => new()
    {
        Inference = new InferenceOptions { Device = InferenceDevice.Cpu, IntraOpThreads = 1, InterOpThreads = 1 },
    };
}
