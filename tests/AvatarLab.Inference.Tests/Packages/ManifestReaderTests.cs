using System.Text.Json.Nodes;
using AvatarLab.Inference.Motion;
using AvatarLab.Inference.Packages;
using AvatarLab.Inference.Tests.Support;

namespace AvatarLab.Inference.Tests.Packages;

public class ManifestReaderTests
{
    private static JsonObject Fixture3Layer() =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(RepoPaths.Fixture("tiny-3layer"), ModelPackageFiles.Manifest)))!.AsObject();

    private static ModelPackageException ParseFails(Action<JsonObject> edit)
    {
        var json = Fixture3Layer();
        edit(json);
        return Assert.Throws<ModelPackageException>(() => ManifestReader.Parse(json.ToJsonString()));
    }

    private static JsonObject Obj(JsonObject json, string path) =>
        path.Split('.').Aggregate(json, (node, name) => node[name]!.AsObject());

    [Fact]
    public void Read_Tiny3LayerFixture_HasItsSizes()
    {
        var m = ManifestReader.Read(Path.Combine(RepoPaths.Fixture("tiny-3layer"), ModelPackageFiles.Manifest));

        Assert.Equal(("tiny-3layer", 25, 16000, 640), (m.Name, m.Fps, m.SampleRate, m.SamplesPerFrame));
        Assert.Equal((3, 3, 16), (m.Transformer.Layers, m.Transformer.Heads, m.Transformer.HeadDim));
        Assert.Equal((20, 5, 2, 2, 13, 2), (m.Window.ClipFrames, m.Window.BlockFrames, m.Window.ContextFrames,
            m.Window.LookaheadFrames, m.Window.SelfCacheFrames, m.Window.CrossCacheFrames));
        Assert.Equal(160, m.Features.Audio.FeatureDim);
        Assert.Equal(12, m.Features.UserMotion.FeatureDim);
        Assert.Equal(LatentSpec.FaceParams, m.Latent.Space);
        Assert.Equal(FaceParams.Names, m.Latent.Channels);
    }

    [Fact]
    public void Parse_ClampToLatentRange_IsReadAndOffByDefault()
    {
        var json = Fixture3Layer();
        Assert.False(ManifestReader.Parse(json.ToJsonString()).Diffusion.ClampToLatentRange);
        Obj(json, "diffusion")["clampToLatentRange"] = true;
        Assert.True(ManifestReader.Parse(json.ToJsonString()).Diffusion.ClampToLatentRange);
    }

    [Fact]
    public void Parse_ClampToLatentRangeOnAnOpaqueLatent_NamesTheField()
    {
        var ex = ParseFails(json =>
        {
            Obj(json, "diffusion")["clampToLatentRange"] = true;
            Obj(json, "latent")["space"] = "opaque";
            json["renderer"] = new JsonObject { ["type"] = "onnx", ["identityEncoder"] = "identity_encoder.onnx", ["renderer"] = "renderer.onnx", ["imageSize"] = 64 };
        });

        Assert.Contains("diffusion.clampToLatentRange needs latent.space 'face-params/1'", ex.Message);
    }

    [Fact]
    public void Parse_UnknownFields_AreIgnored()
    {
        var json = Fixture3Layer();
        json["futureField"] = 1;
        Obj(json, "window")["extra"] = new JsonObject { ["x"] = true };

        Assert.Equal("tiny-3layer", ManifestReader.Parse(json.ToJsonString()).Name);
    }

    [Fact]
    public void Parse_OptionalFieldsAbsent_UseContractDefaults()
    {
        var json = Fixture3Layer();
        json.Remove("description");
        json["guidance"] = new JsonObject();
        Obj(json, "latent").Remove("channels");

        var m = ManifestReader.Parse(json.ToJsonString());

        Assert.Equal(("", 2.0, 1.0, null), (m.Description, m.Guidance.AvatarAudio, m.Guidance.User, m.Latent.Channels));
    }

    [Theory]
    [InlineData("", "fps")]
    [InlineData("", "renderer")]
    [InlineData("window", "blockFrames")]
    [InlineData("transformer", "headDim")]
    [InlineData("features.audio", "type")]
    public void Parse_MissingRequiredField_NamesItsPath(string parent, string field)
    {
        var ex = ParseFails(json => (parent == "" ? json : Obj(json, parent)).Remove(field));

        var path = parent == "" ? field : $"{parent}.{field}";
        Assert.Equal($"avatarlab-model.json: missing required field '{path}'", ex.Message);
        Assert.Equal(ModelPackageFiles.Manifest, ex.File);
        Assert.Null(ex.Tensor);
    }

    [Fact]
    public void Parse_NullRequiredField_IsMissing()
    {
        var ex = ParseFails(json => json["window"] = null);

        Assert.Contains("missing required field 'window'", ex.Message);
    }

    [Fact]
    public void Parse_LogMelWithoutMelBins_NamesTheVariantField()
    {
        var ex = ParseFails(json => Obj(json, "features.audio").Remove("melBins"));

        Assert.Contains("missing required field 'features.audio.melBins' (type 'logmel')", ex.Message);
    }

    [Fact]
    public void Parse_InvalidJson_SaysWhere()
    {
        var ex = Assert.Throws<ModelPackageException>(() => ManifestReader.Parse("{\n  \"format\": \"avatarlab-model/1\",\n  \"name\": }"));

        Assert.StartsWith("avatarlab-model.json: invalid JSON at line 3", ex.Message);
    }

    [Fact]
    public void Parse_WrongValueType_NamesTheField()
    {
        var ex = ParseFails(json => Obj(json, "window")["clipFrames"] = "20");

        Assert.Contains("field 'window.clipFrames' has a value of the wrong type", ex.Message);
    }

    [Fact]
    public void Parse_WrongFormat_IsRejected()
    {
        var ex = ParseFails(json => json["format"] = "avatarlab-model/2");

        Assert.Equal("avatarlab-model.json: format is 'avatarlab-model/2' but this engine reads 'avatarlab-model/1'", ex.Message);
    }

    [Theory]
    [InlineData("transformer", "heads", 0, "transformer.heads must be positive, got 0")]
    [InlineData("window", "selfCacheFrames", -1, "window.selfCacheFrames must not be negative, got -1")]
    [InlineData("window", "clipFrames", 6, "window.clipFrames (6) must be at least blockFrames + contextFrames (5 + 2 = 7)")]
    [InlineData("", "fps", 24, "sampleRate (16000) must be a multiple of fps (24)")]
    [InlineData("features.audio", "framesPerVideoFrame", 3, "framesPerVideoFrame (3) must divide sampleRate / fps (640)")]
    [InlineData("latent", "dim", 8, "latent.dim is 8 but latent.space 'face-params/1' has 12 channels")]
    public void Parse_InvalidValue_IsRejectedWithReason(string parent, string field, int value, string expected)
    {
        var ex = ParseFails(json => (parent == "" ? json : Obj(json, parent))[field] = value);

        Assert.Contains(expected, ex.Message);
    }

    [Fact]
    public void Parse_CacheSizesOtherThanClipMinusBlock_AreAccepted()
    {
        // The contract fixes no relation between the cache lengths and the clip: permissive.
        var json = Fixture3Layer();
        Obj(json, "window")["selfCacheFrames"] = 0;
        Obj(json, "window")["crossCacheFrames"] = 7;

        Assert.Equal(0, ManifestReader.Parse(json.ToJsonString()).Window.SelfCacheFrames);
    }

    [Fact]
    public void Parse_ChannelCountNotDim_IsRejected()
    {
        var ex = ParseFails(json => Obj(json, "latent")["channels"] = new JsonArray("a", "b"));

        Assert.Contains("latent.channels has 2 names but latent.dim is 12", ex.Message);
    }

    [Fact]
    public void Parse_ParametricRendererWithOpaqueLatent_IsRejected()
    {
        var ex = ParseFails(json =>
        {
            Obj(json, "latent")["space"] = LatentSpec.Opaque;
            Obj(json, "latent")["dim"] = 16;
            Obj(json, "latent").Remove("channels");
        });

        Assert.Contains("renderer.type 'parametric-face' draws face parameters, but latent.space is 'opaque'", ex.Message);
    }

    [Fact]
    public void Parse_OnnxRendererWithoutImageSize_NamesTheField()
    {
        var ex = ParseFails(json => json["renderer"] = new JsonObject
        {
            ["type"] = "onnx", ["identityEncoder"] = "identity_encoder.onnx", ["renderer"] = "renderer.onnx",
        });

        Assert.Contains("missing required field 'renderer.imageSize' (type 'onnx')", ex.Message);
    }

    [Fact]
    public void Parse_OnnxAudioFileOutsidePackage_IsRejected()
    {
        var ex = ParseFails(json => Obj(json, "features")["audio"] = new JsonObject
        {
            ["type"] = "onnx", ["file"] = "../audio_encoder.onnx", ["dim"] = 512,
        });

        Assert.Contains("features.audio.file '../audio_encoder.onnx' must be a relative path inside the package", ex.Message);
    }

    [Fact]
    public void Parse_UnknownUserMotionType_ListsTheKnownOnes()
    {
        var ex = ParseFails(json => Obj(json, "features.userMotion")["type"] = "flame");

        Assert.Contains("features.userMotion.type is 'flame'; expected 'face-params/1' or 'onnx'", ex.Message);
    }
}
