using AvatarLab.Inference.Packages;
using AvatarLab.Inference.Tests.Support;

namespace AvatarLab.Inference.Tests.Packages;

public class ModelPackageTests
{
    /// <summary>The fixtures, and the reference package once training has written it.</summary>
    public static TheoryData<string> ShippedPackages()
    {
        var data = new TheoryData<string> { RepoPaths.Fixture("tiny-1layer"), RepoPaths.Fixture("tiny-3layer") };
        var reference = Path.Combine(RepoPaths.Root, "models", "reference");
        if (File.Exists(Path.Combine(reference, ModelPackageFiles.Manifest)))
        {
            data.Add(reference);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ShippedPackages))]
    public void Open_ShippedPackage_DenoiserMatchesManifestSizes(string path)
    {
        using var package = ModelPackage.Open(path, TestOptions.Cpu());

        var m = package.Manifest;
        var pastKey = package.Denoiser.InputMetadata["past_key"].Dimensions;
        Assert.Equal([m.Transformer.Layers, -1, m.Transformer.Heads, -1, m.Transformer.HeadDim], pastKey);
        Assert.Equal(m.Latent.Dim, package.Denoiser.OutputMetadata["velocity"].Dimensions[2]);
        Assert.Equal(m.Features.Audio.FeatureDim, package.Denoiser.InputMetadata["avatar_audio"].Dimensions[2]);
        Assert.True(package.HasSelfAttentionOutput && package.HasCrossAttentionOutput && package.HasAttentionOutputs);
        Assert.Null(package.AudioEncoder);
        Assert.Null(package.Renderer);
        Assert.False(package.IsExtracted);
        Assert.Equal(Path.GetFullPath(path), package.Directory);
    }

    [Fact]
    public void Open_Tiny3Layer_HasTheFixtureSizes()
    {
        using var package = ModelPackage.Open(RepoPaths.Fixture("tiny-3layer"), TestOptions.Cpu());

        var m = package.Manifest;
        Assert.Equal((3, 3, 16, 20, 5, 160), (m.Transformer.Layers, m.Transformer.Heads, m.Transformer.HeadDim,
            m.Window.ClipFrames, m.Window.BlockFrames, m.Features.Audio.FeatureDim));
        Assert.Equal(("CPU", "CPU: requested (Inference:Device = Cpu)"), (package.ExecutionProvider.Provider, package.ExecutionProvider.Reason));
    }

    [Fact]
    public void Open_AllOnnxPackage_CreatesEveryOptionalSession()
    {
        using var package = ModelPackage.Open(RepoPaths.Fixture("all-onnx"), TestOptions.Cpu());

        Assert.NotNull(package.AudioEncoder);
        Assert.NotNull(package.MotionEncoder);
        Assert.NotNull(package.IdentityEncoder);
        Assert.NotNull(package.Renderer);
        Assert.True(package.HasIdentityOutput);
        Assert.False(package.HasAttentionOutputs);
        Assert.Equal(LatentSpec.Opaque, package.Manifest.Latent.Space);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Open_Zip_LoadsAndDeletesItsExtractionOnDispose(bool topLevelFolder)
    {
        using var temp = TempPackage.CopyOf("tiny-1layer");
        var zip = temp.Zip(topLevelFolder);
        var options = TestOptions.Cpu();
        options.ExtractionDirectory = Path.Combine(temp.Root, "extracted");

        string directory;
        using (var package = ModelPackage.Open(zip, options))
        {
            directory = package.Directory;
            Assert.True(package.IsExtracted);
            Assert.StartsWith(options.ExtractionDirectory, directory);
            Assert.Equal("tiny-1layer", package.Manifest.Name);
            Assert.True(File.Exists(Path.Combine(directory, ModelPackageFiles.Denoiser)));
        }

        Assert.False(Directory.Exists(directory));
        Assert.Empty(Directory.GetFileSystemEntries(options.ExtractionDirectory));
    }

    [Fact]
    public void Open_ZipSlipEntry_IsRejectedAndNothingIsWrittenOutside()
    {
        using var temp = TempPackage.CopyOf("tiny-1layer");
        var zip = temp.Zip(topLevelFolder: false, archive =>
        {
            using var writer = new StreamWriter(archive.CreateEntry("../evil.txt").Open());
            writer.Write("outside");
        });
        var options = TestOptions.Cpu();
        options.ExtractionDirectory = Path.Combine(temp.Root, "extracted");

        var ex = Assert.Throws<ModelPackageException>(() => ModelPackage.Open(zip, options));

        Assert.Equal("package.zip", ex.File);
        Assert.Contains("entry '../evil.txt' points outside the package", ex.Message);
        Assert.False(File.Exists(Path.Combine(temp.Root, "evil.txt")));
        Assert.Empty(Directory.GetFileSystemEntries(options.ExtractionDirectory));
    }

    [Fact]
    public void Open_ZipOverSizeLimit_IsRejected()
    {
        using var temp = TempPackage.CopyOf("tiny-1layer");
        var zip = temp.Zip(topLevelFolder: false);
        var options = TestOptions.Cpu();
        options.MaxZipUncompressedBytes = 100_000; // the denoiser alone is over 300 kB

        var ex = Assert.Throws<ModelPackageException>(() => ModelPackage.Open(zip, options));

        Assert.Contains("uncompressed size exceeds the limit of 100,000 bytes", ex.Message);
    }

    [Fact]
    public void Open_ZipWithoutManifest_SaysWhereItLooked()
    {
        using var temp = TempPackage.CopyOf("tiny-1layer");
        File.Delete(temp.PathOf(ModelPackageFiles.Manifest));
        var zip = temp.Zip(topLevelFolder: true);

        var ex = Assert.Throws<ModelPackageException>(() => ModelPackage.Open(zip, TestOptions.Cpu()));

        Assert.Equal("avatarlab-model.json: not found at the root of package.zip nor inside a single top-level folder", ex.Message);
    }

    [Fact]
    public void Open_MissingManifest_NamesIt()
    {
        using var temp = TempPackage.CopyOf("tiny-1layer");
        File.Delete(temp.PathOf(ModelPackageFiles.Manifest));

        var ex = Assert.Throws<ModelPackageException>(() => ModelPackage.Open(temp.Folder, TestOptions.Cpu()));

        Assert.Equal(ModelPackageFiles.Manifest, ex.File);
        Assert.Contains("not found", ex.Message);
    }

    [Fact]
    public void Open_InvalidJsonManifest_IsRejected()
    {
        using var temp = TempPackage.CopyOf("tiny-1layer");
        File.WriteAllText(temp.PathOf(ModelPackageFiles.Manifest), "{ \"format\": \"avatarlab-model/1\", ");

        var ex = Assert.Throws<ModelPackageException>(() => ModelPackage.Open(temp.Folder, TestOptions.Cpu()));

        Assert.StartsWith("avatarlab-model.json: invalid JSON", ex.Message);
    }

    [Fact]
    public void Open_ManifestMissingField_NamesTheField()
    {
        using var temp = TempPackage.CopyOf("tiny-1layer");
        temp.EditManifest(json => json["window"]!.AsObject().Remove("blockFrames"));

        var ex = Assert.Throws<ModelPackageException>(() => ModelPackage.Open(temp.Folder, TestOptions.Cpu()));

        Assert.Equal("avatarlab-model.json: missing required field 'window.blockFrames'", ex.Message);
    }

    [Fact]
    public void Open_WrongFormat_IsRejected()
    {
        using var temp = TempPackage.CopyOf("tiny-1layer");
        temp.EditManifest(json => json["format"] = "avatarlab-model/0");

        var ex = Assert.Throws<ModelPackageException>(() => ModelPackage.Open(temp.Folder, TestOptions.Cpu()));

        Assert.Contains("format is 'avatarlab-model/0'", ex.Message);
    }

    [Fact]
    public void Open_HeadDimNotMatchingOnnx_NamesFileTensorAndMismatch()
    {
        using var temp = TempPackage.CopyOf("tiny-3layer");
        temp.EditManifest(json => json["transformer"]!["headDim"] = 24);

        var ex = Assert.Throws<ModelPackageException>(() => ModelPackage.Open(temp.Folder, TestOptions.Cpu()));

        Assert.Equal(("denoiser.onnx", "past_key"), (ex.File, ex.Tensor));
        Assert.Equal("denoiser.onnx: input 'past_key' has shape [L, B, H, P, hd] = [3, ?, 3, ?, 16] but the manifest says headDim 24", ex.Message);
    }

    [Fact]
    public void Open_AudioFeatureDimNotMatchingOnnx_NamesTheManifestFields()
    {
        using var temp = TempPackage.CopyOf("tiny-3layer");
        temp.EditManifest(json => json["features"]!["audio"]!["melBins"] = 80);

        var ex = Assert.Throws<ModelPackageException>(() => ModelPackage.Open(temp.Folder, TestOptions.Cpu()));

        Assert.Equal("avatar_audio", ex.Tensor);
        Assert.EndsWith("= [?, ?, 160] but the manifest says features.audio melBins x framesPerVideoFrame = 320", ex.Message);
    }

    [Fact]
    public void Open_MissingDenoiser_NamesIt()
    {
        using var temp = TempPackage.CopyOf("tiny-1layer");
        File.Delete(temp.PathOf(ModelPackageFiles.Denoiser));

        var ex = Assert.Throws<ModelPackageException>(() => ModelPackage.Open(temp.Folder, TestOptions.Cpu()));

        Assert.Equal("denoiser.onnx: not found in the package (required by the contract)", ex.Message);
    }

    [Fact]
    public void Open_CorruptDenoiser_NamesTheFile()
    {
        using var temp = TempPackage.CopyOf("tiny-1layer");
        File.WriteAllBytes(temp.PathOf(ModelPackageFiles.Denoiser), [.. Enumerable.Range(0, 4096).Select(i => (byte)(i * 31 + 7))]);

        var ex = Assert.Throws<ModelPackageException>(() => ModelPackage.Open(temp.Folder, TestOptions.Cpu()));

        Assert.Equal(ModelPackageFiles.Denoiser, ex.File);
        Assert.StartsWith("denoiser.onnx: ONNX Runtime cannot load it", ex.Message);
    }

    [Fact]
    public void Open_DenoiserWithoutVelocity_NamesTheMissingOutput()
    {
        var ex = Assert.Throws<ModelPackageException>(() => ModelPackage.Open(RepoPaths.Fixture("broken/no-velocity"), TestOptions.Cpu()));

        Assert.Equal(("denoiser.onnx", "velocity"), (ex.File, ex.Tensor));
        Assert.Equal("denoiser.onnx: missing output 'velocity' (float32 [B, N, D]) that the contract requires", ex.Message);
    }

    [Fact]
    public void Open_ParametricRendererWithOpaqueLatent_IsRejected()
    {
        using var temp = TempPackage.CopyOf("tiny-1layer");
        temp.EditManifest(json => json["latent"]!["space"] = "opaque");

        var ex = Assert.Throws<ModelPackageException>(() => ModelPackage.Open(temp.Folder, TestOptions.Cpu()));

        Assert.Contains("renderer.type 'parametric-face' draws face parameters, but latent.space is 'opaque'", ex.Message);
    }

    [Fact]
    public void Open_MissingReferencedRenderer_NamesIt()
    {
        using var temp = TempPackage.CopyOf("all-onnx");
        File.Delete(temp.PathOf("renderer.onnx"));

        var ex = Assert.Throws<ModelPackageException>(() => ModelPackage.Open(temp.Folder, TestOptions.Cpu()));

        Assert.Equal("renderer.onnx: not found in the package (named by renderer.renderer)", ex.Message);
    }

    [Fact]
    public void Open_MotionEncoderImageSizeMismatch_NamesTheManifestField()
    {
        using var temp = TempPackage.CopyOf("all-onnx");
        temp.EditManifest(json => json["features"]!["userMotion"]!["imageSize"] = 32);

        var ex = Assert.Throws<ModelPackageException>(() => ModelPackage.Open(temp.Folder, TestOptions.Cpu()));

        Assert.Equal("motion_encoder.onnx: input 'frames' has shape [T, 3, imageSize, imageSize] = [?, 3, 16, 16] "
            + "but the manifest says features.userMotion.imageSize 32", ex.Message);
    }

    [Fact]
    public void Open_NonexistentPath_SaysNotFound()
    {
        var ex = Assert.Throws<ModelPackageException>(() => ModelPackage.Open(Path.Combine(RepoPaths.Root, "no-such-package"), TestOptions.Cpu()));

        Assert.StartsWith("no-such-package: not found", ex.Message);
    }
}
