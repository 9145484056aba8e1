using Microsoft.ML.OnnxRuntime;

namespace AvatarLab.Inference.Onnx;

/// <summary>
/// Chooses the execution provider for <see cref="InferenceOptions.Device"/> and builds the
/// session options. <see cref="InferenceDevice.Auto"/> tries CUDA and falls back to the
/// CPU with the reason recorded; <see cref="InferenceDevice.Cuda"/> fails when CUDA is
/// unavailable.
/// </summary>
public static class ExecutionProviderSelector
{
    /// <summary>ONNX Runtime's name for the CUDA execution provider.</summary>
    public const string CudaProviderName = "CUDAExecutionProvider";

    // A CUDA provider library that failed to load will not load later in the same process;
    // remembering the failure spares every later package the retry and ONNX Runtime's
    // error line on stderr.
    private static Exception? _cudaLoadFailure;

    /// <summary>The execution providers compiled into the loaded ONNX Runtime.</summary>
    /// <remarks>
    /// The GPU build lists CUDA even on machines without a GPU or CUDA libraries: it says
    /// what the build supports, not what this machine can run. Appending the provider is
    /// the real test.
    /// </remarks>
    public static IReadOnlyList<string> AvailableProviders() => OrtEnv.Instance().GetAvailableProviders();

    /// <summary>Session options with the thread and optimization settings and no extra provider (CPU).</summary>
    public static SessionOptions CreateCpuOptions(InferenceOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var sessionOptions = new SessionOptions
        {
            IntraOpNumThreads = options.IntraOpThreads,
            InterOpNumThreads = options.InterOpThreads,
            GraphOptimizationLevel = options.GraphOptimization,
        };
        return sessionOptions;
    }

    /// <summary>Builds the session options for <paramref name="options"/> and says which provider they use and why.</summary>
    /// <exception cref="ExecutionProviderException">CUDA was requested explicitly and is unavailable.</exception>
    public static (SessionOptions Options, ExecutionProviderInfo Info) Select(InferenceOptions options) =>
        Select(options, AvailableProviders, AppendCudaOnce, CudaLibraryProbe.WhyNotLoadable);

    /// <summary>The selection logic, with the ONNX Runtime calls and the loader diagnosis replaceable for tests.</summary>
    internal static (SessionOptions Options, ExecutionProviderInfo Info) Select(
        InferenceOptions options,
        Func<IReadOnlyList<string>> availableProviders,
        Action<SessionOptions, int> appendCuda,
        Func<string?>? diagnoseCuda = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Device == InferenceDevice.Cpu)
        {
            return (CreateCpuOptions(options), new(ExecutionProviderInfo.Cpu, "CPU: requested (Inference:Device = Cpu)"));
        }

        var sessionOptions = CreateCpuOptions(options);
        string failure;
        Exception? error = null;
        if (!availableProviders().Contains(CudaProviderName))
        {
            failure = "CUDA provider unavailable: not in this ONNX Runtime build";
        }
        else
        {
            try
            {
                appendCuda(sessionOptions, options.CudaDeviceId);
                var why = options.Device == InferenceDevice.Cuda ? "requested" : "available";
                return (sessionOptions, new(ExecutionProviderInfo.Cuda, $"CUDA: {why} (device {options.CudaDeviceId})"));
            }
            catch (Exception ex)
            {
                // Any failure here (missing libcudart/cuDNN, no driver, bad device id) means
                // no CUDA on this machine; Auto must still run, so nothing is rethrown.
                error = ex;
                failure = $"CUDA provider unavailable: {diagnoseCuda?.Invoke() ?? Summarize(ex)}";
                sessionOptions.Dispose();
                sessionOptions = CreateCpuOptions(options);
            }
        }

        if (options.Device == InferenceDevice.Cuda)
        {
            sessionOptions.Dispose();
            throw new ExecutionProviderException(
                $"Inference:Device is Cuda but {failure}. Install the CUDA and cuDNN libraries this ONNX Runtime build needs, or set Inference:Device to Auto or Cpu.", error);
        }

        return (sessionOptions, new(ExecutionProviderInfo.Cpu, $"CPU: {failure}"));
    }

    private static void AppendCudaOnce(SessionOptions options, int deviceId)
    {
        if (_cudaLoadFailure is { } failure)
        {
            throw failure;
        }

        try
        {
            options.AppendExecutionProvider_CUDA(deviceId);
        }
        catch (Exception ex) when (ex.Message.Contains("Failed to load", StringComparison.Ordinal))
        {
            _cudaLoadFailure = ex;
            throw;
        }
    }

    /// <summary>One line from an ONNX Runtime error: the loader's reason without source paths.</summary>
    internal static string Summarize(Exception ex)
    {
        var message = ex.Message;

        // "[ErrorCode:Fail] reason": the code adds nothing for a person.
        if (message.StartsWith("[ErrorCode:", StringComparison.Ordinal) && message.IndexOf("] ", StringComparison.Ordinal) is var end and > 0)
        {
            message = message[(end + 2)..];
        }

        const string loaderMarker = "with error: ";
        var at = message.LastIndexOf(loaderMarker, StringComparison.Ordinal);
        if (at >= 0)
        {
            message = message[(at + loaderMarker.Length)..];
        }
        else
        {
            // "/path/file.cc:123 function [ONNXRuntimeError] : 1 : FAIL : reason"
            var fail = message.LastIndexOf(" : ", StringComparison.Ordinal);
            if (fail >= 0 && message.Contains("[ONNXRuntimeError]", StringComparison.Ordinal))
            {
                message = message[(fail + 3)..];
            }
        }

        message = message.ReplaceLineEndings(" ").Trim();
        return message.Length <= 200 ? message : message[..200] + "...";
    }
}
