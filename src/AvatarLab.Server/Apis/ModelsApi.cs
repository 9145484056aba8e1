using System.Security.Claims;
using AvatarLab.Client.Contracts;
using AvatarLab.Server.Data;
using AvatarLab.Server.Hosting;
using AvatarLab.Server.Services;
using AvatarLab.Server.Storage;
using AvatarLab.Server.Workers;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AvatarLab.Server.Apis;

public static class ModelsApi
{
    public static IEndpointRouteBuilder MapModelsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/models").RequireAuthorization().WithTags("Models");
        api.MapGet("/", ListAsync).WithName("ListModels").WithSummary("Registered model packages.");
        api.MapGet("/{id:guid}", GetAsync).WithName("GetModel").WithSummary("One model with its manifest.");
        api.MapPost("/", UploadAsync).RequireAntiforgeryHeader().WithName("UploadModel")
            .WithSummary("Upload a model package .zip (multipart field 'package'); the engine validates it against the contract.");
        api.MapPost("/{id:guid}/archive", (Guid id, ModelCatalog catalog, HttpContext context, CancellationToken ct) => ChangeAsync(id, true, catalog, context, ct))
            .RequireAntiforgeryHeader().WithName("ArchiveModel")
            .WithSummary("Hide a model from lists and the run dialog (its sessions keep it). Admins, or the researcher who uploaded it.");
        api.MapPost("/{id:guid}/restore", (Guid id, ModelCatalog catalog, HttpContext context, CancellationToken ct) => ChangeAsync(id, false, catalog, context, ct))
            .RequireAntiforgeryHeader().WithName("RestoreModel").WithSummary("Undo archive.");
        return app;
    }

    private static async Task<IReadOnlyList<ModelSummary>> ListAsync(IDbContextFactory<AvatarLabDbContext> dbFactory, CancellationToken ct,
        bool archived = false)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var models = await db.Models.AsNoTracking().Where(m => archived || !m.Archived).OrderBy(m => m.Name).ToListAsync(ct);
        return [.. models.Select(m => m.ToSummary())];
    }

    private static async Task<IResult> ChangeAsync(Guid id, bool archived, ModelCatalog catalog, HttpContext context, CancellationToken ct) =>
        await catalog.SetArchivedAsync(id, archived, context.User, ct) switch
        {
            ModelChange.Done => TypedResults.NoContent(),
            ModelChange.NotFound => TypedResults.NotFound(),
            _ => Results.Json(new ApiError("only an admin or the researcher who uploaded this model may archive or restore it"),
                statusCode: StatusCodes.Status403Forbidden),
        };

    private static async Task<Results<Ok<ModelDetails>, NotFound>> GetAsync(Guid id, IDbContextFactory<AvatarLabDbContext> dbFactory, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Models.AsNoTracking().FirstOrDefaultAsync(m => m.Id == id, ct) is { } m
            ? TypedResults.Ok(new ModelDetails(m.ToSummary(), m.ManifestJson))
            : TypedResults.NotFound();
    }

    private static async Task<IResult> UploadAsync(HttpContext context, ModelCatalog catalog, BlobStore store,
        IOptions<UploadOptions> limits, CancellationToken ct)
    {
        try
        {
            MultipartUpload.AllowBody(context, limits.Value.MaxModelBytes);
            await using var upload = await MultipartUpload.ReadAsync(context.Request, store, limits.Value.MaxModelBytes, ct);
            var part = upload.Files.FirstOrDefault(f => f.Field == "package")
                ?? throw new UploadException("no file in the multipart field 'package'");
            var record = await catalog.RegisterUploadAsync(part, context.User.FindFirstValue(ClaimTypes.NameIdentifier), ct);
            return TypedResults.Created($"/api/models/{record.Id}", record.ToSummary());
        }
        catch (UploadException ex)
        {
            return ApiErrors.From(ex);
        }
    }
}

/// <summary>A model with its manifest text.</summary>
public sealed record ModelDetails(ModelSummary Model, string ManifestJson);
