using AvatarLab.Server.Data.Entities;
using AvatarLab.Server.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AvatarLab.Server.Services;

/// <summary>One account as the admin page lists it.</summary>
public sealed record AccountRow(
    string Id, string Email, string? DisplayName, DateTime CreatedAt, bool IsAdmin, DateTimeOffset? LockedUntil)
{
    /// <summary>Disabled by an admin (locked without end), not just locked out for a while after failed sign-ins.</summary>
    public bool IsDisabled => LockedUntil == DateTimeOffset.MaxValue;
}

/// <summary>
/// Creates accounts with their roles (the first account, or Accounts:AdminEmail, is admin) and
/// lets admins manage them: grant or take the admin role, disable or enable an account. An admin
/// cannot take their own role or disable themselves, so there is always one admin left.
/// </summary>
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

    /// <summary>Every account, oldest first.</summary>
    public async Task<IReadOnlyList<AccountRow>> ListAsync(CancellationToken ct = default)
    {
        var admins = (await users.GetUsersInRoleAsync(Roles.Admin)).Select(u => u.Id).ToHashSet();
        var all = await users.Users.AsNoTracking().OrderBy(u => u.CreatedAt).ToListAsync(ct);
        return [.. all.Select(u => new AccountRow(u.Id, u.Email ?? u.UserName ?? u.Id, u.DisplayName, u.CreatedAt,
            admins.Contains(u.Id), u.LockoutEnd is { } end && end > DateTimeOffset.UtcNow ? end : null))];
    }

    /// <summary>Grants or takes the admin role. Returns an error message, or null when done.</summary>
    public async Task<string?> SetAdminAsync(string userId, bool admin, string actingUserId)
    {
        if (!admin && userId == actingUserId)
        {
            return "You cannot take the admin role from your own account; another admin can.";
        }

        var (user, error) = await TargetAsync(userId, actingUserId);
        if (user is null)
        {
            return error;
        }

        if (await users.IsInRoleAsync(user, Roles.Admin) == admin)
        {
            return null;
        }

        var result = admin ? await users.AddToRoleAsync(user, Roles.Admin) : await users.RemoveFromRoleAsync(user, Roles.Admin);
        if (!result.Succeeded)
        {
            return string.Join(" ", result.Errors.Select(e => e.Description));
        }

        // Signed-in sessions pick up the new role at their next security stamp check.
        await users.UpdateSecurityStampAsync(user);
        return null;
    }

    /// <summary>Disables (locks without end, signs out everywhere) or enables an account. Returns an error message, or null when done.</summary>
    public async Task<string?> SetDisabledAsync(string userId, bool disabled, string actingUserId)
    {
        if (disabled && userId == actingUserId)
        {
            return "You cannot disable your own account.";
        }

        var (user, error) = await TargetAsync(userId, actingUserId);
        if (user is null)
        {
            return error;
        }

        if (disabled)
        {
            await users.SetLockoutEnabledAsync(user, true);
            await users.SetLockoutEndDateAsync(user, DateTimeOffset.MaxValue);
            await users.UpdateSecurityStampAsync(user);
        }
        else
        {
            await users.SetLockoutEndDateAsync(user, null);
            await users.ResetAccessFailedCountAsync(user);
        }

        return null;
    }

    /// <summary>
    /// The account a change applies to, or why there is none. The acting user is checked against
    /// the database on every change, not just the page's role: an admin demoted or disabled a
    /// moment ago can change nothing.
    /// </summary>
    private async Task<(AppUser? User, string Error)> TargetAsync(string userId, string actingUserId)
    {
        if (await users.FindByIdAsync(actingUserId) is not { } acting || !await users.IsInRoleAsync(acting, Roles.Admin)
            || await users.IsLockedOutAsync(acting))
        {
            return (null, "Only an admin can change accounts.");
        }

        return await users.FindByIdAsync(userId) is { } user ? (user, "") : (null, "No such account.");
    }
}
