using AvatarLab.Server.Hosting;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace AvatarLab.Server.Data;

/// <summary>Chooses the provider from configuration and brings the schema up to date at start.</summary>
public static class DatabaseSetup
{
    /// <summary>The connection string in force: the configured one, or the SQLite file in the data directory.</summary>
    public static string ConnectionString(StorageOptions storage, RepositoryPaths paths)
    {
        if (!string.IsNullOrWhiteSpace(storage.ConnectionString))
        {
            return storage.ConnectionString;
        }

        if (!IsSqlite(storage))
        {
            throw new InvalidOperationException($"Storage:ConnectionString is required for the {storage.Provider} provider");
        }

        var file = Path.Combine(paths.Resolve(storage.DataDirectory), "avatarlab.db");
        return new SqliteConnectionStringBuilder { DataSource = file, Pooling = true }.ToString();
    }

    public static bool IsSqlite(StorageOptions storage) => storage.Provider.Equals("Sqlite", StringComparison.OrdinalIgnoreCase);

    public static void Configure(DbContextOptionsBuilder builder, StorageOptions storage, RepositoryPaths paths)
    {
        var connection = ConnectionString(storage, paths);
        if (IsSqlite(storage))
        {
            builder.UseSqlite(connection);
        }
        else if (storage.Provider.Equals("Postgres", StringComparison.OrdinalIgnoreCase))
        {
            builder.UseNpgsql(connection);
        }
        else
        {
            throw new InvalidOperationException($"Storage:Provider '{storage.Provider}' is not supported (Sqlite or Postgres)");
        }
    }

    /// <summary>
    /// Applies pending migrations. SQLite is switched to WAL first (readers never wait for the
    /// worker's writes; the setting is stored in the file) with a busy timeout for writers.
    /// </summary>
    public static async Task MigrateAsync(AvatarLabDbContext db, CancellationToken ct)
    {
        if (db.Database.IsSqlite())
        {
            var file = new SqliteConnectionStringBuilder(db.Database.GetConnectionString()).DataSource;
            if (Path.GetDirectoryName(Path.GetFullPath(file)) is { } folder)
            {
                Directory.CreateDirectory(folder);
            }

            await db.Database.OpenConnectionAsync(ct);
            try
            {
                await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", ct);
                await db.Database.MigrateAsync(ct);
            }
            finally
            {
                await db.Database.CloseConnectionAsync();
            }
        }
        else
        {
            await db.Database.MigrateAsync(ct);
        }
    }
}
