using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace AvatarLab.Inference.Audio;

/// <summary>
/// A package's <c>audio_encoder.onnx</c> (model-package.md): input <c>audio</c> [1, S] float32
/// mono at the manifest's sample rate with S a multiple of sampleRate / fps, output
/// <c>features</c> [1, S * fps / sampleRate, dim]. The session is shared and owned by the
/// caller (one per model file); <see cref="InferenceSession.Run(RunOptions, IReadOnlyCollection{string}, IReadOnlyCollection{OrtValue}, IReadOnlyCollection{string})"/>
/// is thread-safe, so this class is too.
/// </summary>
public sealed class OnnxAudioEncoder : IAudioFeatureExtractor
{
    /// <summary>The contract's input name.</summary>
    public const string InputName = "audio";

    /// <summary>The contract's output name.</summary>
    public const string OutputName = "features";

    private static readonly string[] _inputNames = [InputName];
    private static readonly string[] _outputNames = [OutputName];

    private readonly InferenceSession _session;

    /// <summary>Wraps a loaded encoder; checks that it has the contract's input and output.</summary>
    /// <param name="session">The encoder, created once per package and shared.</param>
    /// <param name="sampleRate">The manifest's <c>sampleRate</c>.</param>
    /// <param name="fps">The manifest's <c>fps</c>; sampleRate must be a multiple of it.</param>
    /// <param name="featureDim">The manifest's <c>features.audio.dim</c>.</param>
    public OnnxAudioEncoder(InferenceSession session, int sampleRate, int fps, int featureDim)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sampleRate);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(fps);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(featureDim);
        if (sampleRate % fps != 0)
        {
            throw new ArgumentException($"sample rate {sampleRate} is not a multiple of {fps} fps", nameof(fps));
        }

        if (!session.InputMetadata.ContainsKey(InputName) || !session.OutputMetadata.ContainsKey(OutputName))
        {
            throw new InvalidDataException(
                $"audio_encoder.onnx must have input '{InputName}' and output '{OutputName}'; it has inputs " +
                $"[{string.Join(", ", session.InputMetadata.Keys)}] and outputs [{string.Join(", ", session.OutputMetadata.Keys)}]");
        }

        _session = session;
        SamplesPerFrame = sampleRate / fps;
        FeatureDim = featureDim;
    }

    /// <inheritdoc />
    public int FeatureDim { get; }

    /// <summary>Audio samples per video frame (sampleRate / fps).</summary>
    public int SamplesPerFrame { get; }

    /// <inheritdoc />
    /// <param name="audio16k">Mono audio at the manifest's sample rate.</param>
    public float[] Compute(ReadOnlySpan<float> audio16k)
    {
        var frames = audio16k.Length / SamplesPerFrame;
        if (frames == 0)
        {
            return [];
        }

        var samples = audio16k[..(frames * SamplesPerFrame)].ToArray();
        using var input = OrtValue.CreateTensorValueFromMemory(samples, [1, samples.Length]);
        using var runOptions = new RunOptions();
        using var outputs = _session.Run(runOptions, _inputNames, [input], _outputNames);

        var output = outputs[0];
        var info = output.GetTensorTypeAndShape();
        var shape = info.Shape;
        if (info.ElementDataType != TensorElementType.Float)
        {
            throw new InvalidDataException($"audio_encoder.onnx returned '{OutputName}' of type {info.ElementDataType}; the contract wants float32");
        }

        if (shape.Length != 3 || shape[0] != 1 || shape[1] != frames || shape[2] != FeatureDim)
        {
            throw new InvalidDataException(
                $"audio_encoder.onnx returned '{OutputName}' of shape [{string.Join(", ", shape)}] for {samples.Length} samples; " +
                $"the contract wants [1, {frames}, {FeatureDim}]");
        }

        return output.GetTensorDataAsSpan<float>().ToArray();
    }
}
