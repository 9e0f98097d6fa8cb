using CityPairs.TestSupport;
using Microsoft.Playwright;

namespace CityPairs.EndToEndTests;

/// <summary>
/// Starts PostgreSQL, the app (once per run: it migrates and loads the demo data) and the system Chromium
/// (never a downloaded browser). Each test opens its own browser context.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    private readonly PostgresDatabase _database = new();
    private CityPairsApp? _app;
    private IPlaywright? _playwright;
    private readonly Dictionary<DemoUser, string> _storageStates = [];
    private readonly SemaphoreSlim _signInLock = new(1, 1);

    // Playwright waits 5 s for an expectation by default. On a 2-core machine running the whole suite a circuit
    // can take longer than that to answer a click; a wait is not a speed claim, so waits are generous.
    static BrowserFixture() => Assertions.SetDefaultExpectTimeout(15_000);

    public IBrowser Browser { get; private set; } = null!;

    public Uri BaseAddress => _app!.BaseAddress;

    public PostgresDatabase Database => _database;

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        _app = new CityPairsApp(_database.ConnectionString);
        _app.Start();

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(LaunchOptions());
    }

    /// <summary>The system Chromium, headless (also for tests that start an app of their own).</summary>
    public static BrowserTypeLaunchOptions LaunchOptions() => new()
    {
        ExecutablePath = ChromiumPath(),
        Headless = true,
        // The machines have no network beyond package registries: Chromium's own calls home only add noise.
        Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
    };

    /// <summary>
    /// A new page, signed in as <paramref name="user"/>, whose circuit is interactive, so clicks and typing reach
    /// the server. Each role signs in through the real form once per run; later contexts reuse its cookies.
    /// </summary>
    public async Task<IPage> OpenAsync(string path, DemoUser user)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = BaseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = 1400, Height = 900 },
            StorageState = user == DemoUser.Anonymous ? null : await StorageStateAsync(user),
        });
        var page = await context.NewPageAsync();
        await page.GotoAsync(path);
        await page.Locator("[data-testid=interactive]").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached });
        return page;
    }

    /// <summary>Signs in through the form in a page of its own (with the authenticator code for the administrator).</summary>
    public static async Task SignInAsync(IPage page, DemoUser user)
    {
        ArgumentNullException.ThrowIfNull(page);
        await page.GotoAsync("/Account/Login");
        await page.Locator("[data-testid=login-email]").FillAsync(user.Email());
        await page.Locator("[data-testid=login-password]").FillAsync(Web.Data.Seeding.DemoAccounts.Password);
        await page.Locator("[data-testid=login-submit]").ClickAsync();
        if (user == DemoUser.Administrator)
        {
            await page.Locator("[data-testid=login-code]").FillAsync(SignIn.Totp(Web.Data.Seeding.DemoAccounts.AdministratorAuthenticatorKey));
            await page.Locator("[data-testid=login-code-submit]").ClickAsync();
        }

        await page.Locator("[data-testid=signed-in-as]").WaitForAsync();
    }

    private async Task<string> StorageStateAsync(DemoUser user)
    {
        await _signInLock.WaitAsync();
        try
        {
            if (!_storageStates.TryGetValue(user, out var state))
            {
                await using var context = await Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = BaseAddress.ToString() });
                var page = await context.NewPageAsync();
                await SignInAsync(page, user);
                state = await context.StorageStateAsync();
                _storageStates[user] = state;
            }

            return state;
        }
        finally
        {
            _signInLock.Release();
        }
    }

    /// <summary>Keeps a picture of a main page in docs/screens for the README.</summary>
    public static async Task SaveScreenshotAsync(IPage page, string name)
    {
        var dir = RepositoryRoot() is { } root ? Path.Combine(root, "docs", "screens") : Path.Combine(AppContext.BaseDirectory, "screens");
        Directory.CreateDirectory(dir);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(dir, name + ".png") });
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }

        _playwright?.Dispose();
        _signInLock.Dispose();
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        await _database.DisposeAsync();
    }

    private static string ChromiumPath()
    {
        var configured = Environment.GetEnvironmentVariable("CITYPAIRS_CHROMIUM");
        var path = string.IsNullOrWhiteSpace(configured) ? "/usr/bin/chromium" : configured;
        return File.Exists(path)
            ? path
            : throw new InvalidOperationException($"Chromium not found at {path}: run ./build.sh test (it installs it) or set CITYPAIRS_CHROMIUM.");
    }

    private static string? RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "CityPairs.sln")))
            {
                return dir.FullName;
            }
        }

        return null;
    }
}

[CollectionDefinition(Name)]
public sealed class BrowserTests : ICollectionFixture<BrowserFixture>
{
    public const string Name = "browser";
}
