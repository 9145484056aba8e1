using System.Net;
using System.Net.Http.Json;
using AvatarLab.Client.Contracts;
using AvatarLab.Server.Data.Entities;
using AvatarLab.Server.Hosting;
using AvatarLab.Server.Tests.Support;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace AvatarLab.Server.Tests.Api;

[Collection(ApiCollection.Name)]
public sealed class AccountRoleTests(ApiHostFixture fixture)
{
    [Fact]
    public async Task Register_FirstThenSecondAccount_FirstIsAdminSecondIsResearcher()
    {
        // Arrange: the fixture registered the first account of its fresh database.
        var second = $"second-{Guid.NewGuid():N}@avatarlab.test";

        // Act
        using var client = await fixture.Host.RegisterAsync(second);

        // Assert
        using var scope = fixture.Host.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var firstRoles = await users.GetRolesAsync((await users.FindByEmailAsync(ApiHostFixture.FirstEmail))!);
        var secondRoles = await users.GetRolesAsync((await users.FindByEmailAsync(second))!);
        Assert.Equal([Roles.Admin, Roles.Researcher], firstRoles.Order());
        Assert.Equal([Roles.Researcher], secondRoles);
    }

    [Fact]
    public async Task SignIn_ExistingAccount_CookieOpensTheApi()
    {
        using var client = await fixture.Host.SignInAsync(ApiHostFixture.FirstEmail);

        using var response = await client.GetAsync("/api/status");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotNull(await response.Content.ReadFromJsonAsync<StatusInfo>());
    }
}
