using AvatarLab.Server.Data;
using AvatarLab.Server.Data.Entities;
using AvatarLab.Server.Services;
using AvatarLab.Server.Storage;
using AvatarLab.Server.Workers;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using MudBlazor.Services;

namespace AvatarLab.Server.Hosting;

/// <summary>One AddAvatarLab... extension per area, called from Program.cs.</summary>
public static class ServiceRegistration
{
    /// <summary>Reads the repository-root appsettings.json (then appsettings.local.json, then the environment).</summary>
    public static RepositoryPaths AddAvatarLabConfiguration(this WebApplicationBuilder builder)
    {
        var paths = RepositoryPaths.Discover();
        builder.Services.AddSingleton(paths);
        // Under everything the host already reads (environment variables, command line) and
        // whatever a test host adds later, so those override the files.
        // Each file's provider is resolved before it is inserted: inserting builds the source, which
        // otherwise gets the content root's provider, and that cannot open an absolute path (the
        // files were read only when the content root happened to be the repository root).
        var sources = builder.Configuration.Sources;
        foreach (var (index, file) in new[] { (0, "appsettings.json"), (1, "appsettings.local.json") })
        {
            var json = new Microsoft.Extensions.Configuration.Json.JsonConfigurationSource
            {
                Path = Path.Combine(paths.Root, file), Optional = true, ReloadOnChange = false,
            };
            json.ResolveFileProvider();
            sources.Insert(index, json);
        }
        builder.Services.AddOptions<StorageOptions>().BindConfiguration(StorageOptions.Section).ValidateOnStart()
            .Validate(o => !string.IsNullOrWhiteSpace(o.DataDirectory), "Storage:DataDirectory is empty");
        builder.Services.AddOptions<ModelsOptions>().BindConfiguration(ModelsOptions.Section);
        builder.Services.AddOptions<UploadOptions>().BindConfiguration(UploadOptions.Section).ValidateOnStart()
            .Validate(o => o.MaxFileBytes > 0 && o.MaxModelBytes > 0 && o.MaxSeconds > 0, "Uploads limits must be positive");
        builder.Services.AddOptions<InferenceWorkerOptions>().BindConfiguration(InferenceWorkerOptions.Section).ValidateOnStart()
            .Validate(o => o.IntraOpThreads >= 0 && o.FrameSize is >= 64 and <= 2048 && o.MaxAttempts >= 1, "Inference options out of range")
            .Validate(o => o.Device is "Auto" or "Cpu" or "Cuda" or "auto" or "cpu" or "cuda", "Inference:Device must be Auto, Cpu or Cuda");
        builder.Services.AddOptions<AccountsOptions>().BindConfiguration(AccountsOptions.Section);
        builder.Services.AddOptions<ExampleOptions>().BindConfiguration(ExampleOptions.Section);
        return paths;
    }

    /// <summary>EF Core (provider from Storage:Provider) and the content-addressed data folder.</summary>
    public static IServiceCollection AddAvatarLabStorage(this IServiceCollection services)
    {
        services.AddDbContextFactory<AvatarLabDbContext>((sp, options) =>
            DatabaseSetup.Configure(options, sp.GetRequiredService<IOptions<StorageOptions>>().Value, sp.GetRequiredService<RepositoryPaths>()));
        services.AddSingleton(sp => new BlobStore(sp.GetRequiredService<RepositoryPaths>()
            .Resolve(sp.GetRequiredService<IOptions<StorageOptions>>().Value.DataDirectory)));
        // Sign-in cookies survive restarts: the key ring lives beside the database.
        services.AddDataProtection().SetApplicationName("AvatarLab");
        services.AddSingleton<IConfigureOptions<Microsoft.AspNetCore.DataProtection.KeyManagement.KeyManagementOptions>>(sp =>
            new ConfigureOptions<Microsoft.AspNetCore.DataProtection.KeyManagement.KeyManagementOptions>(o =>
                o.XmlRepository = new Microsoft.AspNetCore.DataProtection.Repositories.FileSystemXmlRepository(
                    new DirectoryInfo(Path.Combine(sp.GetRequiredService<BlobStore>().Root, "keys")), sp.GetRequiredService<ILoggerFactory>())));
        services.AddSingleton<RecordingImporter>();
        services.AddSingleton<SessionService>();
        services.AddSingleton<AvatarLab.Server.Timeline.TimelineCache>();
        services.AddSingleton<AvatarLab.Server.Timeline.SessionTimelines>();
        services.AddSingleton<AvatarLab.Server.Timeline.TimelineWarmUp>();
        services.AddHostedService(sp => sp.GetRequiredService<AvatarLab.Server.Timeline.TimelineWarmUp>());
        return services;
    }

    /// <summary>Identity in the same database, cookie sign-in, roles, and sign-in required everywhere.</summary>
    public static IServiceCollection AddAvatarLabAccounts(this IServiceCollection services)
    {
        services.AddCascadingAuthenticationState();
        services.AddAuthentication(IdentityConstants.ApplicationScheme).AddIdentityCookies();
        services.AddIdentityCore<AppUser>(o =>
            {
                o.Password.RequiredLength = 8;
                o.Password.RequireNonAlphanumeric = false;
                o.User.RequireUniqueEmail = true;
                o.Lockout.MaxFailedAccessAttempts = 10;
            })
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<AvatarLabDbContext>()
            .AddSignInManager()
            .AddDefaultTokenProviders();
        services.ConfigureApplicationCookie(o =>
        {
            o.LoginPath = "/account/login";
            o.AccessDeniedPath = "/account/denied";
            o.Cookie.Name = "avatarlab.auth";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Lax;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.SlidingExpiration = true;
            o.ExpireTimeSpan = TimeSpan.FromDays(7);
            // The API answers 401/403 instead of redirecting to the sign-in page.
            o.Events.OnRedirectToLogin = context => Deny(context, StatusCodes.Status401Unauthorized);
            o.Events.OnRedirectToAccessDenied = context => Deny(context, StatusCodes.Status403Forbidden);
        });
        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build())
            .AddPolicy(Roles.Admin, p => p.RequireRole(Roles.Admin));
        services.AddAntiforgery(o =>
        {
            o.HeaderName = "X-XSRF-TOKEN";
            o.Cookie.Name = "avatarlab.xsrf";
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        });
        // A disabled account or a changed role takes effect within a minute, cookie and open pages alike.
        services.Configure<SecurityStampValidatorOptions>(o => o.ValidationInterval = RevalidatingIdentityStateProvider.Interval);
        services.AddScoped<Microsoft.AspNetCore.Components.Authorization.AuthenticationStateProvider, RevalidatingIdentityStateProvider>();
        services.AddScoped<AccountService>();
        return services;

        static Task Deny(Microsoft.AspNetCore.Authentication.RedirectContext<Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationOptions> context, int status)
        {
            if (context.Request.Path.StartsWithSegments("/api") || context.Request.Path.StartsWithSegments("/health"))
            {
                context.Response.StatusCode = status;
                return Task.CompletedTask;
            }

            context.Response.Redirect(context.RedirectUri);
            return Task.CompletedTask;
        }
    }

    /// <summary>The inference worker and what it shares with the pages.</summary>
    public static IServiceCollection AddAvatarLabWorker(this IServiceCollection services)
    {
        services.AddSingleton<WorkerState>();
        services.AddSingleton<JobQueue>();
        services.AddSingleton<ModelCatalog>();
        services.AddSingleton<SessionRunner>();
        services.AddHostedService<InferenceWorker>();
        // Leave the worker time to hand its job back to the queue at shutdown.
        services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(30));
        return services;
    }

    /// <summary>Blazor (interactive server + WebAssembly client pages) and MudBlazor.</summary>
    public static IServiceCollection AddAvatarLabUi(this IServiceCollection services)
    {
        services.AddRazorComponents()
            .AddInteractiveServerComponents()
            .AddInteractiveWebAssemblyComponents()
            .AddAuthenticationStateSerialization();
        services.AddMudServices();
        services.AddHttpContextAccessor();
        // The WebAssembly pages (About) are prerendered here first and inject an HttpClient; they
        // call it only once running in the browser, but the server must be able to provide one.
        services.AddScoped(sp => new HttpClient
        {
            BaseAddress = new Uri(sp.GetRequiredService<Microsoft.AspNetCore.Components.NavigationManager>().BaseUri),
        });
        return services;
    }
}
