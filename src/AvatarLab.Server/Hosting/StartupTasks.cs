using AvatarLab.Client.Contracts;
using AvatarLab.Server.Data;
using AvatarLab.Server.Data.Entities;
using AvatarLab.Server.Services;
using AvatarLab.Server.Storage;
using AvatarLab.Server.Workers;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.Options;

namespace AvatarLab.Server.Hosting;

/// <summary>What happens before the server takes requests: schema, roles, models, the first-run example.</summary>
public static class StartupTasks
{
    public static async Task RunAsync(IServiceProvider services, CancellationToken ct = default)
    {
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(StartupTasks));
        var dbFactory = services.GetRequiredService<IDbContextFactory<AvatarLabDbContext>>();
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            await DatabaseSetup.MigrateAsync(db, ct);
        }

        using (var scope = services.CreateScope())
        {
            var roles = scope.ServiceProvider.GetRequiredService<RoleManager<IdentityRole>>();
            foreach (var role in new[] { Roles.Admin, Roles.Researcher })
            {
                if (!await roles.RoleExistsAsync(role))
                {
                    await roles.CreateAsync(new IdentityRole(role));
                }
            }
        }

        services.GetRequiredService<BlobStore>().SweepTemp();
        var configured = services.GetRequiredService<IOptions<ModelsOptions>>().Value.Register;
        await services.GetRequiredService<ModelCatalog>().RegisterConfiguredAsync(configured, ct);
        await SeedExampleAsync(services, logger, ct);
    }

    /// <summary>On a fresh database: imports training/example and queues one run of it with the first configured model.</summary>
    private static async Task SeedExampleAsync(IServiceProvider services, ILogger logger, CancellationToken ct)
    {
        var example = services.GetRequiredService<IOptions<ExampleOptions>>().Value;
        var dbFactory = services.GetRequiredService<IDbContextFactory<AvatarLabDbContext>>();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (!example.RunOnFirstStart || await db.Recordings.AnyAsync(ct) || await db.Sessions.AnyAsync(ct))
        {
            return;
        }

        var folder = services.GetRequiredService<RepositoryPaths>().Resolve(example.Folder);
        var model = await db.Models.Where(m => m.Origin == ModelOrigin.Configured && m.LoadError == null).OrderBy(m => m.RegisteredAt).FirstOrDefaultAsync(ct);
        if (model is null || !Directory.Exists(folder))
        {
            logger.LogWarning("First-run example skipped: {Reason}", model is null ? "no model registered" : $"{folder} not found");
            return;
        }

        var store = services.GetRequiredService<BlobStore>();
        var parts = new List<UploadedPart>();
        foreach (var (field, file, type) in new[]
        {
            ("avatar_audio", "avatar.wav", "audio/wav"), ("user_audio", "user.wav", "audio/wav"), ("user_motion", "user_motion.csv", "text/csv"),
        })
        {
            var source = Path.Combine(folder, file);
            if (File.Exists(source))
            {
                var temp = store.NewTempPath(Path.GetExtension(file));
                File.Copy(source, temp);
                parts.Add(new UploadedPart(field, file, type, temp, new FileInfo(temp).Length));
            }
        }

        try
        {
            var fields = new Dictionary<string, string>
            {
                ["name"] = "Example conversation",
                ["description"] = "20 s synthetic conversation from training/example (seed 7), imported on first start.",
            };
            var recording = await services.GetRequiredService<RecordingImporter>().ImportAsync(parts, fields, null, ct);
            var session = await services.GetRequiredService<SessionService>().CreateAsync(
                new RunRequest { ModelId = model.Id, RecordingId = recording.Id, Name = "Example conversation · " + model.Name, Seed = 7 }, null, ct);
            logger.LogInformation("First-run example queued as session {Session}", session.Id);
        }
        finally
        {
            foreach (var part in parts)
            {
                BlobStore.DeleteQuietly(part.TempPath);
            }
        }
    }

    /// <summary>Writes the SQL script of all migrations (db/schema.sql) and returns.</summary>
    public static async Task WriteSchemaAsync(IServiceProvider services, string path)
    {
        await using var db = await services.GetRequiredService<IDbContextFactory<AvatarLabDbContext>>().CreateDbContextAsync();
        var script = db.GetService<IMigrator>().GenerateScript(options: MigrationsSqlGenerationOptions.Default);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        await File.WriteAllTextAsync(path, script.ReplaceLineEndings("\n"));
    }
}
