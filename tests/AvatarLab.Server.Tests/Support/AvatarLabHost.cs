using System.Net;
using AvatarLab.Server.Data;
using AvatarLab.Server.Workers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace AvatarLab.Server.Tests.Support;

/// <summary>
/// The real dashboard (Program) on a fresh temporary data folder: its own SQLite file, stored
/// files and key ring, the real inference worker and the reference model from appsettings.json.
/// In-memory (TestServer) by default; <see cref="StartKestrel"/> serves it on a free port of
/// 127.0.0.1 for the browser. Test settings (UseSetting) override the repository's
/// appsettings.json, which the host still reads for the rest (HostConfigurationTests check both).
/// </summary>
public sealed class AvatarLabHost : WebApplicationFactory<Program>
{
    private readonly Dictionary<string, string?> _settings;
    private readonly bool _worker;
    private readonly bool _ownsDirectory;

    /// <param name="settings">Configuration on top of the defaults below (e.g. Uploads:MaxFileBytes).</param>
    /// <param name="worker">False leaves the inference worker out, so queued jobs stay queued.</param>
    /// <param name="dataDirectory">An existing data folder (a restart); null makes a fresh one, deleted at dispose.</param>
    public AvatarLabHost(IReadOnlyDictionary<string, string?>? settings = null, bool worker = true, string? dataDirectory = null)
    {
        _ownsDirectory = dataDirectory is null;
        DataDirectory = dataDirectory ?? Directory.CreateTempSubdirectory("avatarlab-server-tests-").FullName;
        _worker = worker;
        _settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            // Never the configured 127.0.0.1:5080, where a developer's dashboard may be running.
            ["Urls"] = "http://127.0.0.1:0",
            ["Storage:DataDirectory"] = DataDirectory,
            ["Storage:Provider"] = "Sqlite",
            ["Storage:ConnectionString"] = "",
            ["Inference:IntraOpThreads"] = "1",
            // The CPU provider directly: trying CUDA first costs seconds per host on machines without it.
            ["Inference:Device"] = "Cpu",
            ["Example:RunOnFirstStart"] = "false",
            ["Accounts:AdminEmail"] = "",
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            _settings[key] = value;
        }
    }

    /// <summary>The folder of the database, data/ (stored files), tmp/ and keys/.</summary>
    public string DataDirectory { get; }

    /// <summary>Where uploads are streamed before they are checked.</summary>
    public string TempDirectory => Path.Combine(DataDirectory, "tmp");

    /// <summary>The content-addressed store.</summary>
    public string StoreDirectory => Path.Combine(DataDirectory, "data");

    /// <summary>The Kestrel address after <see cref="StartKestrel"/>, e.g. http://127.0.0.1:41234.</summary>
    public Uri? BaseUrl { get; private set; }

    /// <summary>Serves the app on a free port of 127.0.0.1 (real sockets, for the browser).</summary>
    public AvatarLabHost StartKestrel()
    {
        UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
        StartServer();
        var addresses = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        BaseUrl = new Uri(addresses.Single());
        return this;
    }

    /// <summary>A client of the app that keeps cookies and does not follow redirects (tests look at them).</summary>
    public HttpClient CreateApiClient()
    {
        // On Kestrel the factory's client follows redirects whatever the options say: use sockets directly.
        return BaseUrl is { } url
            ? new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = new CookieContainer() }) { BaseAddress = url }
            : CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
    }

    /// <summary>A short-lived database context, as the app's components use them.</summary>
    public async Task<T> QueryAsync<T>(Func<AvatarLabDbContext, Task<T>> query)
    {
        await using var db = await Services.GetRequiredService<IDbContextFactory<AvatarLabDbContext>>().CreateDbContextAsync();
        return await query(db);
    }

    /// <summary>Regular files directly in tmp/ (uploads in flight or left behind; run folders are not files).</summary>
    public string[] TempFiles() => Directory.Exists(TempDirectory) ? Directory.GetFiles(TempDirectory) : [];

    /// <summary>Everything in tmp/, files and folders.</summary>
    public string[] TempEntries() => Directory.Exists(TempDirectory) ? Directory.GetFileSystemEntries(TempDirectory) : [];

    /// <summary>Every file in the content-addressed store.</summary>
    public string[] StoredFiles() =>
        Directory.Exists(StoreDirectory) ? [.. Directory.GetFiles(StoreDirectory, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal)] : [];

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureServices(services =>
        {
            if (!_worker)
            {
                foreach (var worker in services.Where(s => s.ServiceType == typeof(IHostedService) && s.ImplementationType == typeof(InferenceWorker)).ToList())
                {
                    services.Remove(worker);
                }
            }
        });
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        // Pooled SQLite connections keep the file open; a restart test reopens it from a new host.
        SqliteConnection.ClearAllPools();
        if (_ownsDirectory)
        {
            try
            {
                Directory.Delete(DataDirectory, recursive: true);
            }
            catch (IOException)
            {
                // A file still held by a dying process: the folder is under the system's temp folder.
            }
        }
    }
}
