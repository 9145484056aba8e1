using AvatarLab.Client.Contracts;
using AvatarLab.Server.Data;
using AvatarLab.Server.Data.Entities;
using AvatarLab.Server.Workers;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.EntityFrameworkCore;

namespace AvatarLab.Server.Apis;

public static class StatusApi
{
    public static IEndpointRouteBuilder MapStatusApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").RequireAuthorization().WithTags("Status");
        api.MapGet("/status", GetStatusAsync).WithName("GetStatus").WithSummary("Server, worker, device and counts.");
        api.MapGet("/antiforgery", (HttpContext context, IAntiforgery antiforgery) =>
        {
            var tokens = antiforgery.GetAndStoreTokens(context);
            return Results.Ok(new { headerName = tokens.HeaderName, token = tokens.RequestToken });
        }).WithName("GetAntiforgeryToken").WithSummary("A token for the X-XSRF-TOKEN header of state-changing calls.");
        return app;
    }

    private static async Task<StatusInfo> GetStatusAsync(IDbContextFactory<AvatarLabDbContext> dbFactory, WorkerState worker, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var snapshot = worker.Current;
        return new StatusInfo(
            typeof(StatusApi).Assembly.GetName().Version?.ToString() ?? "dev",
            snapshot.State,
            snapshot.Device?.Provider,
            snapshot.Device?.Reason,
            snapshot.Progress,
            snapshot.SessionName,
            await db.Jobs.CountAsync(j => j.Status == JobStatus.Queued, ct),
            await db.Models.CountAsync(m => !m.Archived, ct),
            await db.Recordings.CountAsync(ct),
            await db.Sessions.CountAsync(ct),
            DateTime.UtcNow);
    }
}
