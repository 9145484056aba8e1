using AvatarLab.Server.Hosting;
using AvatarLab.Server.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AvatarLab.Server.Tests.Api;

[Collection(ApiCollection.Name)]
public sealed class HostConfigurationTests(ApiHostFixture fixture)
{
    [Fact]
    public void TestHost_RepositoryAppSettings_ReadThoughTheContentRootIsTheProjectFolder()
    {
        // The test host's content root is src/AvatarLab.Server; appsettings.json is at the repository root.
        var services = fixture.Host.Services;

        var models = services.GetRequiredService<IOptions<ModelsOptions>>().Value;
        var example = services.GetRequiredService<IOptions<ExampleOptions>>().Value;

        Assert.Equal(["models/reference"], models.Register);
        Assert.Equal("training/example", example.Folder);
    }

    [Fact]
    public void TestHost_UseSettingOverrides_DatabaseAndFilesInTheTemporaryFolder()
    {
        // Arrange: appsettings.json says db/ under the repository; the fixture's UseSetting a temporary folder.
        var services = fixture.Host.Services;

        // Act
        var storage = services.GetRequiredService<IOptions<StorageOptions>>().Value;
        var store = services.GetRequiredService<BlobStore>();
        var inference = services.GetRequiredService<IOptions<InferenceWorkerOptions>>().Value;

        // Assert
        Assert.Equal(fixture.Host.DataDirectory, storage.DataDirectory);
        Assert.Equal(fixture.Host.DataDirectory, store.Root);
        Assert.True(File.Exists(Path.Combine(fixture.Host.DataDirectory, "avatarlab.db")), "the SQLite file is not in the temporary folder");
        Assert.Equal(1, inference.IntraOpThreads);
        Assert.False(services.GetRequiredService<IOptions<ExampleOptions>>().Value.RunOnFirstStart);
    }
}
