using System.Net;
using System.Net.Http.Json;
using AvatarLab.Client.Contracts;
using AvatarLab.Server.Tests.Support;

namespace AvatarLab.Server.Tests.Api;

[Collection(ApiCollection.Name)]
public sealed class ModelArchiveTests(ApiHostFixture fixture)
{
    private AvatarLabHost Host => fixture.Host;

    [Fact]
    public async Task Archive_UploadedModelByItsUploader_HiddenFromTheListThenRestored()
    {
        // Arrange: a researcher (not admin) uploads a model.
        using var researcher = await Host.RegisterAsync($"uploader-{Guid.NewGuid():N}@avatarlab.test");
        var model = await UploadAsync(researcher, "tiny-3layer");

        // Act
        using var archived = await researcher.PostAsync($"/api/models/{model.Id}/archive", null);
        var visible = await researcher.GetFromJsonAsync<List<ModelSummary>>("/api/models");
        var recording = await researcher.UploadRecordingAsync(ApiCalls.ExampleFiles(), "archived model run");
        using var run = await researcher.PostAsJsonAsync("/api/sessions", new RunRequest { ModelId = model.Id, RecordingId = recording.Id });
        var withArchived = await researcher.GetFromJsonAsync<List<ModelSummary>>("/api/models?archived=true");
        using var restored = await researcher.PostAsync($"/api/models/{model.Id}/restore", null);
        var afterRestore = await researcher.GetFromJsonAsync<List<ModelSummary>>("/api/models");

        // Assert
        Assert.Equal(HttpStatusCode.NoContent, archived.StatusCode);
        Assert.DoesNotContain(visible!, m => m.Id == model.Id);
        Assert.Equal(HttpStatusCode.Conflict, run.StatusCode);
        Assert.StartsWith("model tiny-3layer", await ApiCalls.ErrorOfAsync(run));
        Assert.Contains("is archived: restore it", await ApiCalls.ErrorOfAsync(run));
        Assert.True(withArchived!.Single(m => m.Id == model.Id).Archived);
        Assert.Equal(HttpStatusCode.NoContent, restored.StatusCode);
        Assert.False(afterRestore!.Single(m => m.Id == model.Id).Archived);
    }

    [Fact]
    public async Task Archive_ConfiguredModelByAResearcher_Returns403AndTheModelStaysListed()
    {
        // Arrange
        using var researcher = await Host.RegisterAsync($"researcher-{Guid.NewGuid():N}@avatarlab.test");
        var reference = (await researcher.GetFromJsonAsync<List<ModelSummary>>("/api/models"))!.Single(m => m.Origin == "Configured");

        // Act
        using var response = await researcher.PostAsync($"/api/models/{reference.Id}/archive", null);

        // Assert
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("only an admin or the researcher who uploaded this model", await ApiCalls.ErrorOfAsync(response));
        Assert.Contains(await researcher.GetFromJsonAsync<List<ModelSummary>>("/api/models") ?? [], m => m.Id == reference.Id);
    }

    [Fact]
    public async Task Archive_UnknownModel_Returns404()
    {
        using var response = await fixture.Client.PostAsync($"/api/models/{Guid.NewGuid()}/archive", null);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Archive_WithoutAntiforgeryHeader_Returns400AndChangesNothing()
    {
        // Arrange: the admin's cookie without the X-XSRF-TOKEN header.
        using var noHeader = await Host.SignInAsync(ApiHostFixture.FirstEmail, xsrfHeader: false);
        var reference = (await noHeader.GetFromJsonAsync<List<ModelSummary>>("/api/models"))!.Single(m => m.Origin == "Configured");

        // Act
        using var response = await noHeader.PostAsync($"/api/models/{reference.Id}/archive", null);

        // Assert
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.False((await noHeader.GetFromJsonAsync<List<ModelSummary>>("/api/models?archived=true"))!.Single(m => m.Id == reference.Id).Archived);
    }

    private static async Task<ModelSummary> UploadAsync(HttpClient client, string fixtureName)
    {
        var zip = TestMedia.Zip(RepoPaths.Fixture(fixtureName));
        using var response = await client.PostAsync("/api/models",
            ApiCalls.Multipart([new UploadFile("package", fixtureName + ".zip", zip, "application/zip")]));
        await ApiCalls.EnsureStatusAsync(response, HttpStatusCode.Created);
        return (await response.Content.ReadFromJsonAsync<ModelSummary>())!;
    }
}
