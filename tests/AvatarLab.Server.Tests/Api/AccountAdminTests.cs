using System.Net;
using AvatarLab.Server.Data.Entities;
using AvatarLab.Server.Services;
using AvatarLab.Server.Tests.Support;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace AvatarLab.Server.Tests.Api;

[Collection(ApiCollection.Name)]
public sealed class AccountAdminTests(ApiHostFixture fixture)
{
    private AvatarLabHost Host => fixture.Host;

    [Fact]
    public async Task SetAdmin_OnOwnAccount_RefusedAndTheRoleStays()
    {
        // Arrange
        var admin = await UserIdAsync(ApiHostFixture.FirstEmail);

        // Act
        var error = await WithAccountsAsync(a => a.SetAdminAsync(admin, false, admin));

        // Assert
        Assert.Equal("You cannot take the admin role from your own account; another admin can.", error);
        Assert.True((await WithAccountsAsync(a => a.ListAsync())).Single(r => r.Id == admin).IsAdmin);
    }

    [Fact]
    public async Task SetAdmin_GrantThenTake_RolesFollowAndListShowsThem()
    {
        // Arrange
        var email = $"promoted-{Guid.NewGuid():N}@avatarlab.test";
        (await Host.RegisterAsync(email)).Dispose();
        var admin = await UserIdAsync(ApiHostFixture.FirstEmail);
        var user = await UserIdAsync(email);

        // Act
        var granted = await WithAccountsAsync(a => a.SetAdminAsync(user, true, admin));
        var afterGrant = (await WithAccountsAsync(a => a.ListAsync())).Single(r => r.Id == user);
        var taken = await WithAccountsAsync(a => a.SetAdminAsync(user, false, admin));
        var afterTake = (await WithAccountsAsync(a => a.ListAsync())).Single(r => r.Id == user);

        // Assert
        Assert.Null(granted);
        Assert.True(afterGrant.IsAdmin);
        Assert.Null(taken);
        Assert.False(afterTake.IsAdmin);
        Assert.Equal(email, afterTake.Email);
    }

    [Fact]
    public async Task Disable_Account_SignInRefusedUntilEnabledAgain()
    {
        // Arrange
        var email = $"disabled-{Guid.NewGuid():N}@avatarlab.test";
        (await Host.RegisterAsync(email)).Dispose();
        var admin = await UserIdAsync(ApiHostFixture.FirstEmail);
        var user = await UserIdAsync(email);

        // Act
        var disabled = await WithAccountsAsync(a => a.SetDisabledAsync(user, true, admin));
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => Host.SignInAsync(email));
        var row = (await WithAccountsAsync(a => a.ListAsync())).Single(r => r.Id == user);
        var enabled = await WithAccountsAsync(a => a.SetDisabledAsync(user, false, admin));
        using var signedIn = await Host.SignInAsync(email);
        using var status = await signedIn.GetAsync("/api/status");

        // Assert
        Assert.Null(disabled);
        Assert.Contains("This account is locked", refused.Message);
        Assert.True(row.IsDisabled);
        Assert.Null(enabled);
        Assert.Equal(HttpStatusCode.OK, status.StatusCode);
    }

    [Fact]
    public async Task SetAdminAndDisable_ByAResearcher_RefusedAndNothingChanges()
    {
        // Arrange
        var email = $"researcher-{Guid.NewGuid():N}@avatarlab.test";
        (await Host.RegisterAsync(email)).Dispose();
        var researcher = await UserIdAsync(email);
        var admin = await UserIdAsync(ApiHostFixture.FirstEmail);

        // Act
        var promote = await WithAccountsAsync(a => a.SetAdminAsync(researcher, true, researcher));
        var disable = await WithAccountsAsync(a => a.SetDisabledAsync(admin, true, researcher));

        // Assert
        Assert.Equal("Only an admin can change accounts.", promote);
        Assert.Equal("Only an admin can change accounts.", disable);
        var rows = await WithAccountsAsync(a => a.ListAsync());
        Assert.False(rows.Single(r => r.Id == researcher).IsAdmin);
        Assert.Null(rows.Single(r => r.Id == admin).LockedUntil);
    }

    [Fact]
    public async Task Disable_OwnAccount_Refused()
    {
        var admin = await UserIdAsync(ApiHostFixture.FirstEmail);

        var error = await WithAccountsAsync(a => a.SetDisabledAsync(admin, true, admin));

        Assert.Equal("You cannot disable your own account.", error);
        Assert.Null((await WithAccountsAsync(a => a.ListAsync())).Single(r => r.Id == admin).LockedUntil);
    }

    [Fact]
    public async Task AccountsPage_AsAdmin_ListsAccounts_AsResearcher_ShowsTheMissingRole()
    {
        // Arrange
        var email = $"plain-{Guid.NewGuid():N}@avatarlab.test";
        using var researcher = await Host.RegisterAsync(email);

        // Act: the prerendered HTML of the interactive page; the researcher is sent to the access-denied page.
        var asAdmin = await fixture.Client.GetStringAsync("/admin/accounts");
        using var denied = await researcher.GetAsync("/admin/accounts");
        var deniedPage = await researcher.GetStringAsync(denied.Headers.Location!);

        // Assert
        Assert.Contains(ApiHostFixture.FirstEmail, asAdmin);
        Assert.Contains(email, asAdmin);
        Assert.Equal(HttpStatusCode.Redirect, denied.StatusCode);
        Assert.Equal("/account/denied", new Uri(new Uri("http://localhost"), denied.Headers.Location!).AbsolutePath);
        Assert.Contains("This page needs a role your account does not have", deniedPage);
        Assert.Contains(email, deniedPage);
        Assert.DoesNotContain(ApiHostFixture.FirstEmail, deniedPage);
    }

    private async Task<string> UserIdAsync(string email)
    {
        using var scope = Host.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        return (await users.FindByEmailAsync(email))!.Id;
    }

    private async Task<T> WithAccountsAsync<T>(Func<AccountService, Task<T>> action)
    {
        await using var scope = Host.Services.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<AccountService>());
    }
}
