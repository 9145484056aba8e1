using AvatarLab.Server.Apis;
using AvatarLab.Server.Components;
using AvatarLab.Server.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddAvatarLabConfiguration();
builder.WebHost.UseUrls(builder.Configuration["Urls"] ?? "http://127.0.0.1:5080");

// The dashboard runs from its build output (run.sh), not a publish folder: serve the static web
// assets of the project and its packages (MudBlazor, Plotly.Blazor, the client) from there.
builder.WebHost.UseStaticWebAssets();
builder.Services
    .AddAvatarLabStorage()
    .AddAvatarLabAccounts()
    .AddAvatarLabWorker()
    .AddAvatarLabUi();
builder.Services.AddOpenApi();
builder.Services.AddHealthChecks().AddCheck<WorkerHealthCheck>("worker");

var app = builder.Build();

// `--write-schema db/schema.sql`: the SQL of all migrations, for review and for DBAs.
if (args.Length == 2 && args[0] == "--write-schema")
{
    await StartupTasks.WriteSchemaAsync(app.Services, args[1]);
    return;
}

await StartupTasks.RunAsync(app.Services);

if (!app.Environment.IsDevelopment())
{
    app.UseExceptionHandler("/error", createScopeForErrors: true);
}

app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);

// Pages get the not-found page; API answers keep their own status and body (a 401 re-executed
// as a page became the HTML page, and an anonymous POST a 400 from the page's form handling).
app.Use((context, next) =>
{
    if (context.Request.Path.StartsWithSegments("/api")
        && context.Features.Get<Microsoft.AspNetCore.Diagnostics.IStatusCodePagesFeature>() is { } statusCodePages)
    {
        statusCodePages.Enabled = false;
    }

    return next(context);
});
app.UseAuthentication();
app.UseAuthorization();
app.UseAntiforgery();

app.MapStaticAssets().AllowAnonymous();
app.MapRazorComponents<App>()
    .AddInteractiveServerRenderMode()
    .AddInteractiveWebAssemblyRenderMode()
    .AddAdditionalAssemblies(typeof(AvatarLab.Client._Imports).Assembly);
app.MapAccountEndpoints();
app.MapStatusApi();
app.MapModelsApi();
app.MapRecordingsApi();
app.MapSessionsApi();
app.MapTimelineApi();
app.MapOpenApi().RequireAuthorization();
app.MapHealthChecks("/health").AllowAnonymous();

app.Lifetime.ApplicationStarted.Register(() =>
{
    foreach (var address in app.Urls)
    {
        Console.WriteLine($"AvatarLab dashboard listening on {address}");
    }
});

await app.RunAsync();

/// <summary>The entry point, visible to the integration tests' host.</summary>
public partial class Program;
