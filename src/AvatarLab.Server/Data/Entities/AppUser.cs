using Microsoft.AspNetCore.Identity;

namespace AvatarLab.Server.Data.Entities;

/// <summary>A dashboard account (ASP.NET Core Identity, same database).</summary>
public sealed class AppUser : IdentityUser
{
    public string? DisplayName { get; set; }
    public DateTime CreatedAt { get; set; } = DateTime.UtcNow;
}
