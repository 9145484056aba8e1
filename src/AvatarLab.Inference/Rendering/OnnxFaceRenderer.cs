using Microsoft.ML.OnnxRuntime;

namespace AvatarLab.Inference.Rendering;

/// <summary>
/// The contract's optional renderer pair (model-package.md, identity_encoder.onnx /
/// renderer.onnx): runs the identity encoder once on the portrait, then the renderer on each
/// batch of motion latents, and turns its RGB frames in [-1, 1] into RGBA bytes (alpha 255).
/// </summary>
/// <remarks>
/// The sessions are the caller's (one per model file, created once and shared); this class
/// owns only the identity tensors and its buffers. Not thread-safe: one instance per thread
/// (the sessions themselves may be shared).
/// </remarks>
public sealed class OnnxFaceRenderer : IFrameRenderer, IDisposable
{
    /// <summary>The identity encoder's input name.</summary>
    public const string PortraitInput = "portrait";

    /// <summary>The renderer's motion input name.</summary>
    public const string MotionInput = "motion";

    /// <summary>The renderer's output name.</summary>
    public const string FramesOutput = "frames";

    /// <summary>The identity encoder output that the denoiser takes, when the model has one.</summary>
    public const string IdentityOutput = "identity";

    private readonly InferenceSession _renderer;
    private readonly RunOptions _runOptions = new();
    private readonly IDisposableReadOnlyCollection<OrtValue> _identityValues;
    private readonly string[] _rendererInputNames;
    private readonly OrtValue[] _rendererInputs;
    private readonly int _motionSlot;
    private readonly string[] _outputNames = [FramesOutput];
    private float[] _motion = [];
    private bool _disposed;

    /// <summary>Encodes <paramref name="portrait"/> and prepares the renderer.</summary>
    /// <param name="identityEncoder">Session of identity_encoder.onnx.</param>
    /// <param name="renderer">Session of renderer.onnx.</param>
    /// <param name="imageSize">The manifest's renderer.imageSize: portrait and frame side.</param>
    /// <param name="portrait">The portrait; centre-cropped and resized to <paramref name="imageSize"/>.</param>
    /// <exception cref="InvalidDataException">The sessions do not follow the contract.</exception>
    public OnnxFaceRenderer(InferenceSession identityEncoder, InferenceSession renderer, int imageSize, Portrait portrait)
    {
        ArgumentNullException.ThrowIfNull(identityEncoder);
        ArgumentNullException.ThrowIfNull(renderer);
        ArgumentNullException.ThrowIfNull(portrait);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(imageSize);
        _renderer = renderer;
        Width = imageSize;
        Height = imageSize;

        if (!identityEncoder.InputMetadata.TryGetValue(PortraitInput, out var portraitMeta))
        {
            throw new InvalidDataException($"identity_encoder.onnx has no '{PortraitInput}' input.");
        }

        CheckStaticDims("identity_encoder.onnx", PortraitInput, portraitMeta.Dimensions, [1, 3, imageSize, imageSize]);
        if (!renderer.InputMetadata.TryGetValue(MotionInput, out var motionMeta) || motionMeta.Dimensions.Length != 2)
        {
            throw new InvalidDataException($"renderer.onnx needs a '{MotionInput}' input of shape [T, D].");
        }

        LatentDim = motionMeta.Dimensions[1] > 0 ? motionMeta.Dimensions[1] : null;

        var pixels = PortraitTensor(PortraitLoader.Resize(portrait, imageSize));
        try
        {
            using var input = OrtValue.CreateTensorValueFromMemory(pixels, [1, 3, imageSize, imageSize]);
            _identityValues = identityEncoder.Run(_runOptions, [PortraitInput], [input], identityEncoder.OutputNames);
        }
        catch
        {
            _runOptions.Dispose();
            throw;
        }

        try
        {
            _rendererInputNames = [.. renderer.InputNames];
            _rendererInputs = new OrtValue[_rendererInputNames.Length];
            _motionSlot = -1;
            var produced = identityEncoder.OutputNames;
            for (var i = 0; i < _rendererInputNames.Length; i++)
            {
                var name = _rendererInputNames[i];
                if (name == MotionInput)
                {
                    _motionSlot = i;
                    continue;
                }

                var k = IndexOf(produced, name);
                if (k < 0)
                {
                    throw new InvalidDataException(
                        $"renderer.onnx needs input '{name}', which identity_encoder.onnx does not produce (it produces {string.Join(", ", produced)}).");
                }

                _rendererInputs[i] = _identityValues.ElementAt(k);
            }

            var identityIndex = IndexOf(produced, IdentityOutput);
            if (identityIndex >= 0)
            {
                Identity = _identityValues.ElementAt(identityIndex).GetTensorDataAsSpan<float>().ToArray();
            }
        }
        catch
        {
            _identityValues.Dispose();
            _runOptions.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    public int Width { get; }

    /// <inheritdoc />
    public int Height { get; }

    /// <summary>The latent size D the renderer declares, or null when its motion input is dynamic.</summary>
    public int? LatentDim { get; }

    /// <summary>The portrait's <c>identity</c> tensor [1, D] for the denoiser; empty when the encoder has none.</summary>
    public ReadOnlyMemory<float> Identity { get; } = ReadOnlyMemory<float>.Empty;

    /// <inheritdoc />
    public void Render(ReadOnlySpan<float> latent, Span<byte> rgba) => RenderBatch(latent, 1, rgba);

    /// <summary>Renders <paramref name="frames"/> motion latents ([T, D], back to back) in one renderer call.</summary>
    /// <exception cref="ArgumentException">The latents or the destination have the wrong length.</exception>
    /// <exception cref="InvalidDataException">The renderer's output is not [T, 3, S, S].</exception>
    public void RenderBatch(ReadOnlySpan<float> latents, int frames, Span<byte> rgba)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(frames);
        if (latents.Length % frames != 0 || (LatentDim is { } d && latents.Length != frames * d))
        {
            throw new ArgumentException($"{latents.Length} latent values are not {frames} frames of the renderer's latent size {LatentDim}.", nameof(latents));
        }

        var plane = Width * Height;
        if (rgba.Length != frames * plane * 4)
        {
            throw new ArgumentException($"rgba holds {rgba.Length} bytes; {frames} frames of {Width}x{Height} need {frames * plane * 4}.", nameof(rgba));
        }

        if (_motion.Length < latents.Length)
        {
            _motion = new float[latents.Length];
        }

        latents.CopyTo(_motion);
        var dim = latents.Length / frames;
        using var motion = OrtValue.CreateTensorValueFromMemory(
            OrtMemoryInfo.DefaultInstance, _motion.AsMemory(0, latents.Length), [frames, dim]);
        _rendererInputs[_motionSlot] = motion;
        try
        {
            using var outputs = _renderer.Run(_runOptions, _rendererInputNames, _rendererInputs, _outputNames);
            var output = outputs.First();
            var shape = output.GetTensorTypeAndShape().Shape;
            if (shape is not [var t, 3, var h, var w] || t != frames || h != Height || w != Width)
            {
                throw new InvalidDataException(
                    $"renderer.onnx returned frames of shape [{string.Join(", ", shape)}]; expected [{frames}, 3, {Height}, {Width}].");
            }

            FrameConversion.PlanarToRgba(output.GetTensorDataAsSpan<float>(), frames, plane, rgba);
        }
        finally
        {
            _rendererInputs[_motionSlot] = null!;
        }
    }

    /// <summary>Releases the identity tensors (not the sessions).</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _identityValues.Dispose();
        _runOptions.Dispose();
    }

    private static float[] PortraitTensor(Portrait portrait)
    {
        var plane = portrait.Width * portrait.Height;
        var tensor = new float[3 * plane];
        var rgb = portrait.Rgb;
        for (var p = 0; p < plane; p++)
        {
            for (var c = 0; c < 3; c++)
            {
                tensor[(c * plane) + p] = (rgb[(p * 3) + c] / 127.5f) - 1f;
            }
        }

        return tensor;
    }

    private static void CheckStaticDims(string file, string input, int[] actual, int[] expected)
    {
        var ok = actual.Length == expected.Length;
        for (var i = 0; ok && i < actual.Length; i++)
        {
            ok = actual[i] <= 0 || actual[i] == expected[i];
        }

        if (!ok)
        {
            throw new InvalidDataException(
                $"{file} input '{input}' has shape [{string.Join(", ", actual)}]; expected [{string.Join(", ", expected)}] (renderer.imageSize).");
        }
    }

    private static int IndexOf(IReadOnlyList<string> names, string name)
    {
        for (var i = 0; i < names.Count; i++)
        {
            if (names[i] == name)
            {
                return i;
            }
        }

        return -1;
    }
}
