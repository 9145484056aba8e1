using AvatarLab.Server.Tests.Support;
using Microsoft.Playwright;

namespace AvatarLab.Server.Tests.Browser;

/// <summary>
/// Debian's Chromium driven by Playwright (never a downloaded browser: no `playwright install`),
/// and one dashboard on a Kestrel port of 127.0.0.1 with an account already signed up through
/// the pages, for the browser tests that do not need a fresh database.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public const string Chromium = "/usr/bin/chromium";
    public const string Email = "browser@avatarlab.test";

    // The app's interactive pages first arrive prerendered; the interactive render then replaces
    // the prerendered layout element. Clicking before that does nothing, so tests wait for it.
    private const string InteractiveProbe = """
        (() => {
          let prerendered = null;
          new MutationObserver((_, observer) => {
            const layout = document.querySelector('.mud-layout');
            prerendered ??= layout;
            if (prerendered && !prerendered.isConnected && layout) {
              window.__avatarlabInteractive = true;
              observer.disconnect();
            }
          }).observe(document, { childList: true, subtree: true });
        })();
        """;

    private static readonly string[] _args =
    [
        "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync",
    ];

    private IPlaywright? _playwright;
    private string? _storageState;

    public IBrowser Browser { get; private set; } = null!;

    /// <summary>The shared dashboard (fresh database, the real worker).</summary>
    public AvatarLabHost Host { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        CheckPrerequisites();
        Host = new AvatarLabHost().StartKestrel();
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = _args,
        });

        var context = await NewContextAsync(Host, null);
        var page = await context.NewPageAsync();
        await SignUpAsync(page, Email);
        _storageState = await context.StorageStateAsync();
        await context.CloseAsync();
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }

        _playwright?.Dispose();
        if (Host is not null)
        {
            await Host.DisposeAsync();
        }
    }

    /// <summary>A page of the shared dashboard, signed in as <see cref="Email"/>.</summary>
    public async Task<IPage> NewSignedInPageAsync()
    {
        var context = await NewContextAsync(Host, _storageState);
        return await context.NewPageAsync();
    }

    /// <summary>A browser context (own cookies) for a dashboard, with the interactivity probe installed.</summary>
    public async Task<IBrowserContext> NewContextAsync(AvatarLabHost host, string? storageState)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = host.BaseUrl!.ToString(),
            StorageState = storageState,
            ViewportSize = new ViewportSize { Width = 1280, Height = 900 },
        });
        context.SetDefaultTimeout(30_000);
        await context.AddInitScriptAsync(InteractiveProbe);
        return context;
    }

    /// <summary>Opens an interactive (server) page and waits until its circuit has rendered it.</summary>
    public static async Task GotoInteractiveAsync(IPage page, string path)
    {
        await page.GotoAsync(path);
        await WaitForInteractiveAsync(page);
    }

    /// <summary>Waits until the page's circuit has replaced the prerendered layout (a click before that can land on an element about to be replaced).</summary>
    public static Task WaitForInteractiveAsync(IPage page) =>
        page.WaitForFunctionAsync("() => window.__avatarlabInteractive === true", null, new PageWaitForFunctionOptions { Timeout = 60_000 });

    /// <summary>Creates an account through /account/register, as a person does; ends on the overview page.</summary>
    public static async Task SignUpAsync(IPage page, string email)
    {
        await page.GotoAsync("/account/register");
        await page.Locator("#name").FillAsync("Browser Researcher");
        await page.Locator("#email").FillAsync(email);
        await page.Locator("#password").FillAsync(Accounts.Password);
        await page.Locator("#confirm").FillAsync(Accounts.Password);
        await page.GetByTestId("register").ClickAsync();
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/");
    }

    /// <summary>The browser tests need Chromium and the face tracker's files served by the app itself.</summary>
    private static void CheckPrerequisites()
    {
        if (!File.Exists(Chromium))
        {
            throw new InvalidOperationException($"{Chromium} is missing: apt-get install -y chromium (test.sh does it)");
        }

        var human = RepoPaths.Server(Path.Combine("wwwroot", "lib", "human", "human.esm.js"));
        if (!File.Exists(human))
        {
            throw new InvalidOperationException(
                $"{human} is missing: the face tracker's files must be copied into wwwroot before the server is built. " +
                "Run `npm ci && node scripts/copy-face-assets.mjs` in src/AvatarLab.Server, then build again.");
        }

        // Present on disk but copied after the last build: the app's static asset manifest lacks them.
        var manifest = Path.Combine(AppContext.BaseDirectory, "avatarlab-server.staticwebassets.endpoints.json");
        if (!File.Exists(manifest) || !File.ReadAllText(manifest).Contains("\"lib/human/human.esm.js\"", StringComparison.Ordinal))
        {
            throw new InvalidOperationException(
                $"{manifest} does not list lib/human/human.esm.js: the server was built before the face tracker's files were copied. " +
                "Build again (dotnet build tests/AvatarLab.Server.Tests) after `npm ci && node scripts/copy-face-assets.mjs` in src/AvatarLab.Server.");
        }
    }
}

[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "browser";
}
