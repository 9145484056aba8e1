using AvatarLab.Server.Data.Entities;
using AvatarLab.Server.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace AvatarLab.Server.Services;

/// <summary>Creates accounts with their roles: the first account (or Accounts:AdminEmail) is admin.</summary>
public sealed class AccountService(UserManager<AppUser> users, IOptions<AccountsOptions> accounts)
{
    private static readonly SemaphoreSlim _registration = new(1, 1);

    public async Task<IdentityResult> RegisterAsync(string email, string password, string? displayName)
    {
        // Serialised so that two first registrations at once cannot both become admin.
        await _registration.WaitAsync();
        try
        {
            var user = new AppUser { UserName = email, Email = email, DisplayName = string.IsNullOrWhiteSpace(displayName) ? null : displayName.Trim() };
            var created = await users.CreateAsync(user, password);
            if (!created.Succeeded)
            {
                return created;
            }

            var configuredAdmin = accounts.Value.AdminEmail;
            var makeAdmin = string.IsNullOrWhiteSpace(configuredAdmin)
                ? users.Users.Count() == 1
                : string.Equals(configuredAdmin.Trim(), email, StringComparison.OrdinalIgnoreCase);
            var roles = makeAdmin ? new[] { Roles.Researcher, Roles.Admin } : [Roles.Researcher];
            return await users.AddToRolesAsync(user, roles);
        }
        finally
        {
            _registration.Release();
        }
    }
}
