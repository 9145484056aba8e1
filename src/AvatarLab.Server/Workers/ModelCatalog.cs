using System.Collections.Concurrent;
using System.Security.Claims;
using AvatarLab.Inference;
using AvatarLab.Inference.Onnx;
using AvatarLab.Inference.Packages;
using AvatarLab.Server.Data;
using AvatarLab.Server.Data.Entities;
using AvatarLab.Server.Hosting;
using AvatarLab.Server.Services;
using AvatarLab.Server.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AvatarLab.Server.Workers;

/// <summary>
/// The registered model packages and the loaded engines behind them. Every package is checked
/// by the engine itself (ModelPackage.Open: manifest and every ONNX file against the contract)
/// before it is registered; loaded models are shared by all runs (one InferenceSession per file).
/// </summary>
public sealed class ModelCatalog(
    IDbContextFactory<AvatarLabDbContext> dbFactory,
    BlobStore store,
    RepositoryPaths paths,
    IOptions<InferenceWorkerOptions> inference,
    IOptions<StorageOptions> storage,
    ILogger<ModelCatalog> logger) : IDisposable
{
    private readonly ConcurrentDictionary<Guid, Lazy<AvatarModel>> _loaded = new();

    /// <summary>The engine options every package is opened with (device, threads).</summary>
    public ModelPackageOptions PackageOptions => new()
    {
        Inference = new InferenceOptions
        {
            Device = Enum.TryParse<InferenceDevice>(inference.Value.Device, ignoreCase: true, out var device) ? device : InferenceDevice.Auto,
            IntraOpThreads = inference.Value.IntraOpThreads,
        },
        ExtractionDirectory = Path.Combine(paths.Resolve(storage.Value.DataDirectory), "tmp"),
    };

    /// <summary>Registers (or re-checks) the configured packages; one that no longer loads keeps its row with the error.</summary>
    public async Task RegisterConfiguredAsync(IEnumerable<string> configured, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        foreach (var entry in configured)
        {
            var path = paths.Resolve(entry);
            var record = await db.Models.FirstOrDefaultAsync(m => m.SourcePath == path, ct);
            try
            {
                using var package = ModelPackage.Open(path, PackageOptions);
                record ??= db.Models.Add(new ModelRecord { Name = "", Version = "", Origin = ModelOrigin.Configured, SourcePath = path }).Entity;
                Describe(record, package);
                record.LoadError = null;
                logger.LogInformation("Model {Name} {Version} registered from {Path}", record.Name, record.Version, path);
            }
            catch (Exception ex) when (ex is ModelPackageException or ExecutionProviderException or IOException or InvalidDataException)
            {
                logger.LogError("Model package {Path} was not registered: {Error}", path, ex.Message);
                if (record is not null)
                {
                    record.LoadError = ex.Message;
                }
            }
        }

        await db.SaveChangesAsync(ct);
    }

    /// <summary>Validates an uploaded .zip with the engine and registers it (the same content twice is one model).</summary>
    public async Task<ModelRecord> RegisterUploadAsync(UploadedPart part, string? userId, CancellationToken ct)
    {
        if (!part.FileName.EndsWith(".zip", StringComparison.OrdinalIgnoreCase))
        {
            throw new UploadException($"package: '{part.FileName}' is not a .zip file (upload a model package folder as a .zip)",
                StatusCodes.Status415UnsupportedMediaType);
        }

        ModelRecord record;
        try
        {
            using var package = ModelPackage.Open(part.TempPath, PackageOptions);
            record = new ModelRecord { Name = "", Version = "", Origin = ModelOrigin.Uploaded, UploadedFileName = part.FileName, RegisteredById = userId };
            Describe(record, package);
        }
        catch (Exception ex) when (ex is ModelPackageException or InvalidDataException or IOException)
        {
            throw new UploadException($"package: '{part.FileName}' is not a valid model package: {ex.Message}", StatusCodes.Status422UnprocessableEntity);
        }

        var stored = await store.AdoptAsync(part.TempPath, ct);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (await db.Models.FirstOrDefaultAsync(m => m.PackageSha256 == stored.Sha256, ct) is { } existing)
        {
            existing.Archived = false;
            await db.SaveChangesAsync(ct);
            return existing;
        }

        await BlobStore.TrackAsync(db, stored, ct);
        record.PackageSha256 = stored.Sha256;
        db.Models.Add(record);
        await db.SaveChangesAsync(ct);
        return record;
    }

    /// <summary>
    /// Archives (hides from lists and the run dialog; sessions that used it keep it, and a queued
    /// run still runs) or restores a model. Admins may change any model, researchers the ones
    /// they uploaded.
    /// </summary>
    public async Task<ModelChange> SetArchivedAsync(Guid id, bool archived, ClaimsPrincipal user, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (await db.Models.FirstOrDefaultAsync(m => m.Id == id, ct) is not { } record)
        {
            return ModelChange.NotFound;
        }

        if (!MayChange(record.RegisteredById, user))
        {
            return ModelChange.Forbidden;
        }

        record.Archived = archived;
        await db.SaveChangesAsync(ct);
        logger.LogInformation("Model {Name} {Version} {Change} by {User}", record.Name, record.Version,
            archived ? "archived" : "restored", user.Identity?.Name);
        return ModelChange.Done;
    }

    /// <summary>Who may archive or restore a model: admins any, researchers the ones they uploaded.</summary>
    public static bool MayChange(string? registeredById, ClaimsPrincipal user) =>
        user.IsInRole(Roles.Admin) || (registeredById is { } owner && owner == user.FindFirstValue(ClaimTypes.NameIdentifier));

    /// <summary>The loaded engine for a registered model (loaded once, then shared).</summary>
    public AvatarModel Get(ModelRecord record)
    {
        var lazy = _loaded.GetOrAdd(record.Id, _ => new Lazy<AvatarModel>(() => AvatarModel.Open(PathOf(record), PackageOptions)));
        try
        {
            return lazy.Value;
        }
        catch
        {
            _loaded.TryRemove(record.Id, out _);
            throw;
        }
    }

    /// <summary>The device of any loaded model (they share the process's provider choice), or null before the first load.</summary>
    public ExecutionProviderInfo? Device =>
        _loaded.Values.Where(l => l.IsValueCreated).Select(l => l.Value.Package.ExecutionProvider).FirstOrDefault();

    private string PathOf(ModelRecord record)
    {
        if (record.Origin == ModelOrigin.Configured)
        {
            return record.SourcePath ?? throw new InvalidOperationException($"model {record.Name} has no source path");
        }

        // The engine recognises packages by the .zip name; the store names files by hash alone.
        var link = Path.Combine(store.Root, "models", record.PackageSha256 + ".zip");
        if (!File.Exists(link))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(link)!);
            File.CreateSymbolicLink(link, store.PathOf(record.PackageSha256!));
        }

        return link;
    }

    private static void Describe(ModelRecord record, ModelPackage package)
    {
        var m = package.Manifest;
        record.Name = m.Name;
        record.Version = m.Version;
        record.Description = m.Description;
        record.ManifestJson = File.ReadAllText(Path.Combine(package.Directory, ModelPackageFiles.Manifest));
        record.LatentDim = m.Latent.Dim;
        record.Fps = m.Fps;
        record.BlockFrames = m.Window.BlockFrames;
        record.Layers = m.Transformer.Layers;
        record.HasAttentionOutputs = package.HasAttentionOutputs;
    }

    public void Dispose()
    {
        foreach (var lazy in _loaded.Values.Where(l => l.IsValueCreated))
        {
            lazy.Value.Dispose();
        }
    }
}

/// <summary>The outcome of a change to a registered model.</summary>
public enum ModelChange
{
    Done,
    NotFound,
    Forbidden,
}
