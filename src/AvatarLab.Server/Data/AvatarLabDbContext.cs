using AvatarLab.Server.Data.Entities;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace AvatarLab.Server.Data;

/// <summary>
/// Accounts (Identity), model packages, recordings, sessions with their block index, the job
/// queue and the content-addressed file table, in one database.
/// Provider-neutral: enums are stored as strings, times as UTC DateTime, no provider-specific
/// SQL. Migrations are generated for SQLite (the default); see docs/storage.md for PostgreSQL.
/// Add a migration (from the repository root):
/// <c>dotnet tool restore &amp;&amp; dotnet ef migrations add NAME --project src/AvatarLab.Server --output-dir Data/Migrations</c>,
/// then regenerate db/schema.sql with <c>dotnet run --project src/AvatarLab.Server -- --write-schema "$PWD/db/schema.sql"</c> (an absolute path: dotnet run starts the app in its project folder).
/// </summary>
public sealed class AvatarLabDbContext(DbContextOptions<AvatarLabDbContext> options) : IdentityDbContext<AppUser>(options)
{
    public DbSet<StoredFile> StoredFiles => Set<StoredFile>();
    public DbSet<ModelRecord> Models => Set<ModelRecord>();
    public DbSet<Recording> Recordings => Set<Recording>();
    public DbSet<RecordingFile> RecordingFiles => Set<RecordingFile>();
    public DbSet<Session> Sessions => Set<Session>();
    public DbSet<SessionBlock> SessionBlocks => Set<SessionBlock>();
    public DbSet<Job> Jobs => Set<Job>();

    /// <summary>Every DateTime is UTC; SQLite stores text without a kind, so reads are marked UTC again.</summary>
    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
        configurationBuilder.Properties<DateTime?>().HaveConversion<UtcDateTimeConverter>();
    }

    private sealed class UtcDateTimeConverter() : Microsoft.EntityFrameworkCore.Storage.ValueConversion.ValueConverter<DateTime, DateTime>(
        v => v.Kind == DateTimeKind.Utc ? v : v.ToUniversalTime(), v => DateTime.SpecifyKind(v, DateTimeKind.Utc));

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(AvatarLabDbContext).Assembly);
    }
}
