using System.Net;
using System.Net.Http.Json;
using System.Text;
using AvatarLab.Client.Contracts;
using AvatarLab.Server.Apis;
using AvatarLab.Server.Tests.Support;

namespace AvatarLab.Server.Tests.Api;

[Collection(ApiCollection.Name)]
public sealed class ModelUploadTests(ApiHostFixture fixture)
{
    private AvatarLabHost Host => fixture.Host;
    private HttpClient Client => fixture.Client;

    [Fact]
    public async Task UploadModel_ZippedTiny1Layer_Returns201AndIsListed()
    {
        // Arrange
        var zip = TestMedia.Zip(RepoPaths.Fixture("tiny-1layer"));

        // Act
        using var response = await PostPackageAsync("tiny-1layer.zip", zip);

        // Assert
        await ApiCalls.EnsureStatusAsync(response, HttpStatusCode.Created);
        var model = (await response.Content.ReadFromJsonAsync<ModelSummary>())!;
        Assert.Equal("Uploaded", model.Origin);
        Assert.Null(model.LoadError);
        Assert.Equal(1, model.Layers);
        var listed = await Client.GetFromJsonAsync<List<ModelSummary>>("/api/models");
        Assert.Contains(listed!, m => m.Id == model.Id);
        var details = await Client.GetFromJsonAsync<ModelDetails>($"/api/models/{model.Id}");
        Assert.Contains("avatarlab-model/1", details!.ManifestJson);
        Assert.DoesNotContain(Host.TempEntries(), e => Path.GetFileName(e).StartsWith("avatarlab-package-", StringComparison.Ordinal));
        Assert.Empty(Host.TempFiles());
    }

    [Fact]
    public async Task UploadModel_PackageWithoutVelocityOutput_Returns422WithTheEnginesMessageAndRegistersNothing()
    {
        // Arrange
        var zip = TestMedia.Zip(RepoPaths.Fixture(Path.Combine("broken", "no-velocity")));
        var models = await Host.QueryAsync(db => Task.FromResult(db.Models.Count()));
        var stored = Host.StoredFiles();

        // Act
        using var response = await PostPackageAsync("no-velocity.zip", zip);

        // Assert
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var error = await ApiCalls.ErrorOfAsync(response);
        Assert.StartsWith("package: 'no-velocity.zip' is not a valid model package: ", error);
        Assert.Contains("denoiser.onnx: missing output 'velocity'", error);
        Assert.Equal(models, await Host.QueryAsync(db => Task.FromResult(db.Models.Count())));
        Assert.DoesNotContain(await Client.GetFromJsonAsync<List<ModelSummary>>("/api/models") ?? [], m => m.Name == "no-velocity");
        Assert.Equal(stored, Host.StoredFiles());
        Assert.DoesNotContain(Host.TempEntries(), e => Path.GetFileName(e).StartsWith("avatarlab-package-", StringComparison.Ordinal));
        Assert.Empty(Host.TempFiles());
    }

    [Fact]
    public async Task UploadModel_NotAZip_Returns415()
    {
        var models = await Host.QueryAsync(db => Task.FromResult(db.Models.Count()));

        using var response = await PostPackageAsync("model.onnx", Encoding.UTF8.GetBytes("not a package"));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.StartsWith("package: 'model.onnx' is not a .zip file", await ApiCalls.ErrorOfAsync(response));
        Assert.Equal(models, await Host.QueryAsync(db => Task.FromResult(db.Models.Count())));
        Assert.Empty(Host.TempFiles());
    }

    private Task<HttpResponseMessage> PostPackageAsync(string fileName, byte[] content) =>
        Client.PostAsync("/api/models", ApiCalls.Multipart([new UploadFile("package", fileName, content, "application/zip")]));
}
