using AvatarLab.Server.Data;
using AvatarLab.Server.Workers;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace AvatarLab.Server.Hosting;

/// <summary>/health: the database answers and the worker is running (idle or busy).</summary>
public sealed class WorkerHealthCheck(IDbContextFactory<AvatarLabDbContext> dbFactory, WorkerState worker) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            if (!await db.Database.CanConnectAsync(cancellationToken))
            {
                return HealthCheckResult.Unhealthy("the database does not answer");
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy("the database does not answer: " + ex.Message);
        }

        var state = worker.Current;
        var device = state.Device is { } d ? $"{d.Provider} ({d.Reason})" : "device not chosen yet";
        return state.State is "idle" or "running"
            ? HealthCheckResult.Healthy($"worker {state.State}; {device}")
            : HealthCheckResult.Degraded($"worker {state.State}");
    }
}
