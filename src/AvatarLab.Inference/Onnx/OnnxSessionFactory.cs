using Microsoft.ML.OnnxRuntime;

namespace AvatarLab.Inference.Onnx;

/// <summary>
/// Creates the <see cref="InferenceSession"/>s of one model package from one shared
/// <see cref="SessionOptions"/> (house style: one session per model file, created once).
/// Owns the options; the caller owns the sessions.
/// </summary>
public sealed class OnnxSessionFactory : IDisposable
{
    private readonly InferenceOptions _options;
    private SessionOptions _sessionOptions;
    private int _created;
    private bool _disposed;

    /// <summary>Chooses the execution provider (see <see cref="ExecutionProviderSelector"/>).</summary>
    /// <exception cref="ExecutionProviderException">CUDA was requested explicitly and is unavailable.</exception>
    public OnnxSessionFactory(InferenceOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        (_sessionOptions, Provider) = ExecutionProviderSelector.Select(options);
    }

    /// <summary>The provider the sessions use and why; may change to CPU on the first session (see <see cref="Create"/>).</summary>
    public ExecutionProviderInfo Provider { get; private set; }

    /// <summary>Creates a session for the model file at <paramref name="modelPath"/>.</summary>
    /// <remarks>
    /// The CUDA provider can load its libraries and still fail when the first session
    /// starts (no device, driver too old). In <see cref="InferenceDevice.Auto"/> mode that
    /// first failure switches this factory to the CPU and the session is retried there;
    /// if the CPU fails too, the model file is at fault and the CPU's error is thrown.
    /// </remarks>
    /// <exception cref="OnnxRuntimeException">ONNX Runtime cannot load the file.</exception>
    public InferenceSession Create(string modelPath)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        InferenceSession session;
        try
        {
            session = new InferenceSession(modelPath, _sessionOptions);
        }
        catch (OnnxRuntimeException cudaError) when (CanFallBack())
        {
            var cpuOptions = ExecutionProviderSelector.CreateCpuOptions(_options);
            try
            {
                session = new InferenceSession(modelPath, cpuOptions);
            }
            catch
            {
                cpuOptions.Dispose();
                throw;
            }

            _sessionOptions.Dispose();
            _sessionOptions = cpuOptions;
            Provider = new(ExecutionProviderInfo.Cpu,
                $"CPU: CUDA session failed: {ExecutionProviderSelector.Summarize(cudaError)}");
        }

        _created++;
        return session;
    }

    /// <summary>Disposes the shared session options.</summary>
    public void Dispose()
    {
        if (!_disposed)
        {
            _disposed = true;
            _sessionOptions.Dispose();
        }
    }

    private bool CanFallBack() =>
        _options.Device == InferenceDevice.Auto && Provider.IsCuda && _created == 0;
}
