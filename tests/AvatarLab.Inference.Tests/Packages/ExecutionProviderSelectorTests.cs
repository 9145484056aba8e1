using AvatarLab.Inference.Onnx;
using AvatarLab.Inference.Tests.Support;
using Microsoft.ML.OnnxRuntime;
using Xunit.Abstractions;

namespace AvatarLab.Inference.Tests.Packages;

public class ExecutionProviderSelectorTests(ITestOutputHelper output)
{
    private static readonly string[] _withCuda = ["CUDAExecutionProvider", "CPUExecutionProvider"];

    private static (SessionOptions Options, ExecutionProviderInfo Info) Select(
        InferenceDevice device, string[] providers, Action<SessionOptions, int> appendCuda)
    {
        return ExecutionProviderSelector.Select(new InferenceOptions { Device = device }, () => providers, appendCuda);
    }

    private static void Fail(SessionOptions options, int deviceId) =>
        // The shape of ONNX Runtime's message when the CUDA provider library cannot load.
        throw new InvalidOperationException(
            "[ErrorCode:RuntimeException] /onnxruntime_src/provider_bridge_ort.cc:1539 Get() [ONNXRuntimeError] : 1 : FAIL : Failed to load library "
            + "libonnxruntime_providers_cuda.so with error: libcudart.so.12: cannot open shared object file: No such file or directory");

    [Fact]
    public void Select_Cpu_UsesCpuWithoutTryingCuda()
    {
        var (options, info) = Select(InferenceDevice.Cpu, _withCuda, (_, _) => throw new InvalidOperationException("must not be called"));
        using var _ = options;

        Assert.Equal(new ExecutionProviderInfo("CPU", "CPU: requested (Inference:Device = Cpu)"), info);
    }

    [Fact]
    public void Select_AutoWhenCudaLoads_UsesCuda()
    {
        var appendedDevice = -1;
        var (options, info) = ExecutionProviderSelector.Select(
            new InferenceOptions { Device = InferenceDevice.Auto, CudaDeviceId = 1 }, () => _withCuda, (_, id) => appendedDevice = id);
        using var _ = options;

        Assert.Equal(1, appendedDevice);
        Assert.Equal(new ExecutionProviderInfo("CUDA", "CUDA: available (device 1)"), info);
        Assert.True(info.IsCuda);
    }

    [Fact]
    public void Select_AutoWhenCudaLibrariesMissing_FallsBackToCpuWithTheLoaderReason()
    {
        var (options, info) = Select(InferenceDevice.Auto, _withCuda, Fail);
        using var _ = options;

        Assert.Equal("CPU", info.Provider);
        Assert.Equal("CPU: CUDA provider unavailable: libcudart.so.12: cannot open shared object file: No such file or directory", info.Reason);
    }

    [Fact]
    public void Select_AutoWhenLoaderDiagnosisNamesALibrary_ReportsIt()
    {
        var (options, info) = ExecutionProviderSelector.Select(
            new InferenceOptions(), () => _withCuda, Fail, () => "libcudart.so.12 not found");
        using var _ = options;

        Assert.Equal("CPU: CUDA provider unavailable: libcudart.so.12 not found", info.Reason);
    }

    [Fact]
    public void Summarize_OrtErrorCodePrefix_IsDropped()
    {
        var ex = new InvalidOperationException("[ErrorCode:Fail] OrtSessionOptionsAppendExecutionProvider_Cuda: Failed to load shared library");

        Assert.Equal("OrtSessionOptionsAppendExecutionProvider_Cuda: Failed to load shared library", ExecutionProviderSelector.Summarize(ex));
    }

    [Fact]
    public void Select_AutoWhenBuildHasNoCuda_FallsBackToCpu()
    {
        var (options, info) = Select(InferenceDevice.Auto, ["CPUExecutionProvider"], (_, _) => { });
        using var _ = options;

        Assert.Equal(new ExecutionProviderInfo("CPU", "CPU: CUDA provider unavailable: not in this ONNX Runtime build"), info);
    }

    [Fact]
    public void Select_CudaRequestedButUnavailable_ThrowsWithTheReason()
    {
        var ex = Assert.Throws<ExecutionProviderException>(() => Select(InferenceDevice.Cuda, _withCuda, Fail));

        Assert.Contains("Inference:Device is Cuda but CUDA provider unavailable: libcudart.so.12", ex.Message);
        Assert.IsType<InvalidOperationException>(ex.InnerException);
    }

    [Fact]
    public void Select_AutoOnThisMachine_NeverThrows()
    {
        var (options, info) = ExecutionProviderSelector.Select(new InferenceOptions());
        using var _ = options;

        output.WriteLine(info.Reason);
        Assert.Contains(info.Provider, new[] { "CPU", "CUDA" });
        Assert.StartsWith(info.Provider + ": ", info.Reason);
    }

    [Fact]
    public void SessionFactory_AutoOnThisMachine_CreatesASession()
    {
        using var factory = new OnnxSessionFactory(new InferenceOptions { IntraOpThreads = 1 });

        using var session = factory.Create(Path.Combine(RepoPaths.Fixture("tiny-1layer"), "denoiser.onnx"));

        Assert.Contains("velocity", session.OutputNames);
    }

    [Fact]
    public void SessionFactory_AfterDispose_RefusesToCreate()
    {
        var factory = new OnnxSessionFactory(new InferenceOptions { Device = InferenceDevice.Cpu });
        factory.Dispose();

        Assert.Throws<ObjectDisposedException>(() => factory.Create(Path.Combine(RepoPaths.Fixture("tiny-1layer"), "denoiser.onnx")));
    }
}
