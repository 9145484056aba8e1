using AvatarLab.Server.Tests.Support;

namespace AvatarLab.Server.Tests.Api;

/// <summary>
/// One host shared by the API tests that do not need a host of their own (they run one after
/// another, so counting rows and files before and after a call is safe), with the first account
/// (the admin) signed in.
/// </summary>
public sealed class ApiHostFixture : IAsyncLifetime
{
    public const string FirstEmail = "first@avatarlab.test";

    public AvatarLabHost Host { get; } = new();

    /// <summary>Signed in as the first account, sending X-XSRF-TOKEN.</summary>
    public HttpClient Client { get; private set; } = null!;

    public async Task InitializeAsync() => Client = await Host.RegisterAsync(FirstEmail, "First Researcher");

    public async Task DisposeAsync()
    {
        Client.Dispose();
        await Host.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class ApiCollection : ICollectionFixture<ApiHostFixture>
{
    public const string Name = "api host";
}
