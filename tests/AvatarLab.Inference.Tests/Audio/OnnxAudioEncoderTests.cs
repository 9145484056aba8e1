using AvatarLab.Inference.Audio;
using AvatarLab.Inference.Tests.Support;
using Microsoft.ML.OnnxRuntime;

namespace AvatarLab.Inference.Tests.Audio;

public sealed class OnnxAudioEncoderTests : IDisposable
{
    // audio [1, S] -> features [1, S / 640, 8], each value the mean of 80 consecutive samples
    // (written by golden_features.py).
    private readonly InferenceSession _session = new(RepoPaths.Fixture("golden/features/audio_encoder_mean8.onnx"));

    public void Dispose() => _session.Dispose();

    [Fact]
    public void Compute_TwoFramesAndAPartOne_ReturnsTwoFramesOfSegmentMeans()
    {
        IAudioFeatureExtractor encoder = new OnnxAudioEncoder(_session, 16000, 25, 8);
        var audio = Signals.Noise(2 * 640 + 100, seed: 11);

        var features = encoder.Compute(audio);

        Assert.Equal(2 * 8, features.Length);
        for (var i = 0; i < features.Length; i++)
        {
            var mean = audio.AsSpan(i * 80, 80).ToArray().Average();
            Assert.Equal(mean, features[i], 1e-6);
        }
    }

    [Fact]
    public void Compute_LessThanOneFrame_ReturnsNothing()
    {
        var encoder = new OnnxAudioEncoder(_session, 16000, 25, 8);

        Assert.Empty(encoder.Compute(new float[639]));
    }

    [Fact]
    public void Compute_DimOtherThanTheModels_ThrowsNamingShapes()
    {
        var encoder = new OnnxAudioEncoder(_session, 16000, 25, 512);

        var ex = Assert.Throws<InvalidDataException>(() => encoder.Compute(new float[640]));

        Assert.Contains("[1, 1, 8]", ex.Message);
        Assert.Contains("[1, 1, 512]", ex.Message);
    }

    [Fact]
    public void Constructor_OutputNotNamedFeatures_ThrowsNamingTheContract()
    {
        using var session = new InferenceSession(RepoPaths.Fixture("golden/features/audio_encoder_badnames.onnx"));

        var ex = Assert.Throws<InvalidDataException>(() => new OnnxAudioEncoder(session, 16000, 25, 8));

        Assert.Contains("output 'features'", ex.Message);
        Assert.Contains("outputs [feats]", ex.Message);
    }
}
