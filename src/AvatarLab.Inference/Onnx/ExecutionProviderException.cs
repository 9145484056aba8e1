namespace AvatarLab.Inference.Onnx;

/// <summary>An execution provider that was explicitly requested (<see cref="InferenceDevice.Cuda"/>) is unavailable.</summary>
public sealed class ExecutionProviderException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ExecutionProviderException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
