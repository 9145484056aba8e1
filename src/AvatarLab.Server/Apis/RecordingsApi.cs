using System.Security.Claims;
using AvatarLab.Client.Contracts;
using AvatarLab.Server.Data;
using AvatarLab.Server.Data.Entities;
using AvatarLab.Server.Hosting;
using AvatarLab.Server.Services;
using AvatarLab.Server.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AvatarLab.Server.Apis;

public static class RecordingsApi
{
    public static IEndpointRouteBuilder MapRecordingsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/recordings").RequireAuthorization().WithTags("Recordings");
        api.MapGet("/", ListAsync).WithName("ListRecordings").WithSummary("Uploaded recordings, newest first.");
        api.MapGet("/{id:guid}", GetAsync).WithName("GetRecording").WithSummary("One recording and its files.");
        api.MapGet("/{id:guid}/files/{kind}", DownloadAsync).WithName("GetRecordingFile")
            .WithSummary("A file of a recording (kind: AvatarAudio, UserAudio, UserVideo, UserMotion, Portrait); supports range requests.");
        api.MapPost("/", UploadAsync).RequireAntiforgeryHeader().WithName("UploadRecording")
            .WithSummary("Upload a recording: multipart fields avatar_audio, user_audio, user_video, user_motion, portrait (files), name, description, motion_source (text).");
        return app;
    }

    private static async Task<IReadOnlyList<RecordingSummary>> ListAsync(IDbContextFactory<AvatarLabDbContext> dbFactory, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var recordings = await db.Recordings.AsNoTracking().Include(r => r.Files).OrderByDescending(r => r.CreatedAt).ToListAsync(ct);
        return [.. recordings.Select(r => r.ToSummary())];
    }

    private static async Task<Results<Ok<RecordingSummary>, NotFound>> GetAsync(Guid id, IDbContextFactory<AvatarLabDbContext> dbFactory, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Recordings.AsNoTracking().Include(r => r.Files).FirstOrDefaultAsync(r => r.Id == id, ct) is { } r
            ? TypedResults.Ok(r.ToSummary())
            : TypedResults.NotFound();
    }

    private static async Task<IResult> DownloadAsync(Guid id, string kind, IDbContextFactory<AvatarLabDbContext> dbFactory, BlobStore store, CancellationToken ct)
    {
        if (!Enum.TryParse<RecordingFileKind>(kind, ignoreCase: true, out var fileKind))
        {
            return TypedResults.NotFound();
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var file = await db.RecordingFiles.AsNoTracking().FirstOrDefaultAsync(f => f.RecordingId == id && f.Kind == fileKind, ct);
        return file is null || !store.Exists(file.Sha256)
            ? TypedResults.NotFound()
            : TypedResults.PhysicalFile(store.PathOf(file.Sha256), file.ContentType, file.FileName, enableRangeProcessing: true);
    }

    private static async Task<IResult> UploadAsync(HttpContext context, RecordingImporter importer, BlobStore store,
        IOptions<UploadOptions> limits, CancellationToken ct)
    {
        try
        {
            // Five files at most, each within the per-file limit.
            MultipartUpload.AllowBody(context, 5 * limits.Value.MaxFileBytes);
            await using var upload = await MultipartUpload.ReadAsync(context.Request, store, limits.Value.MaxFileBytes, ct);
            var recording = await importer.ImportAsync(upload, context.User.FindFirstValue(ClaimTypes.NameIdentifier), ct);
            return TypedResults.Created($"/api/recordings/{recording.Id}", recording.ToSummary());
        }
        catch (UploadException ex)
        {
            return ApiErrors.From(ex);
        }
    }
}
