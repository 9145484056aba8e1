using AvatarLab.Inference.Audio;
using AvatarLab.Inference.Packages;

namespace AvatarLab.Inference.Runs;

/// <summary>
/// Per-frame audio features of one recorded stream, produced chunk by chunk as a live session
/// would: the built-in log-mel streams (identical numbers to the whole-signal computation),
/// an ONNX audio encoder sees each chunk on its own, and a missing stream gives zeros.
/// </summary>
internal sealed class FeatureSource
{
    private readonly AudioClip? _audio;
    private readonly LogMelStream? _logMel;
    private readonly IAudioFeatureExtractor? _encoder;
    private readonly int _samplesPerFrame;
    private readonly int _dim;
    private int _frame;

    private FeatureSource(AudioClip? audio, LogMelStream? logMel, IAudioFeatureExtractor? encoder, int samplesPerFrame, int dim)
    {
        (_audio, _logMel, _encoder, _samplesPerFrame, _dim) = (audio, logMel, encoder, samplesPerFrame, dim);
    }

    public static FeatureSource Create(ModelManifest m, AudioClip? audio, int frames, Microsoft.ML.OnnxRuntime.InferenceSession? encoder = null)
    {
        var spec = m.Features.Audio;
        if (audio is null)
        {
            return new FeatureSource(null, null, null, m.SamplesPerFrame, spec.FeatureDim);
        }

        if (spec.Type == AudioFeatureSpec.LogMel)
        {
            var logMel = LogMel.ForManifest(m.SampleRate, m.Fps, spec.MelBins, spec.FramesPerVideoFrame);
            return new FeatureSource(audio, logMel.CreateStream(), null, m.SamplesPerFrame, spec.FeatureDim);
        }

        var session = encoder ?? throw new ArgumentException($"model '{m.Name}' needs its audio encoder session");
        return new FeatureSource(audio, null, new OnnxAudioEncoder(session, m.SampleRate, m.Fps, spec.Dim), m.SamplesPerFrame, spec.FeatureDim);
    }

    /// <summary>Features [n, dim] of the next n frames.</summary>
    public float[] Next(int n)
    {
        var samples = _audio is null ? ReadOnlySpan<float>.Empty : _audio.Samples.AsSpan(_frame * _samplesPerFrame, n * _samplesPerFrame);
        _frame += n;
        if (_logMel is not null)
        {
            var features = new float[n * _dim];
            var produced = _logMel.Push(samples, features);
            if (produced != n)
            {
                throw new InvalidOperationException($"log-mel produced {produced} frames for {n} frames of audio");
            }

            return features;
        }

        return _encoder is not null ? _encoder.Compute(samples) : new float[n * _dim];
    }
}
