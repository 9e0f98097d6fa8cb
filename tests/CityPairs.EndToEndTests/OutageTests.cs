using CityPairs.Web.Data;
using CityPairs.Web.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CityPairs.EndToEndTests;

/// <summary>
/// PostgreSQL goes away while people are working, then comes back (docs/RELIABILITY.md). This test stops the server,
/// so it has its own throwaway cluster and its own app instance: the shared browser-test app never sees the outage.
/// </summary>
public sealed class OutageTests
{
    /// <summary>
    /// EF Core retries the first operation that meets the outage for about 15 seconds; after that the app knows the
    /// server is down (<c>OutageBreaker</c>) and later reads fail at once. Before the breaker a save waited out one
    /// retry period per read, 80 to over 90 seconds under load. A generous wait, not a speed claim.
    /// </summary>
    private static readonly LocatorAssertionsToBeVisibleOptions AfterRetries = new() { Timeout = 180_000 };

    [Fact]
    public async Task During_an_outage_a_save_and_a_page_say_so_kindly_and_after_it_the_same_save_succeeds_without_restarting_the_app()
    {
        await using var cluster = await LocalPostgresCluster.StartThrowawayAsync();
        await cluster.EnsureDatabaseAsync("outage_e2e");
        var connectionString = cluster.ConnectionString("outage_e2e");
        await using var app = new CityPairsApp(connectionString);
        app.Start();
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(BrowserFixture.LaunchOptions());

        var editor = await OpenSignedInAsync(browser, app.BaseAddress, "/cities/new");
        var reader = await OpenSignedInAsync(browser, app.BaseAddress, "/cities");
        var navigator = await OpenSignedInAsync(browser, app.BaseAddress, "/cities");
        var herent = await HerentAsync(connectionString);
        var name = $"Zz Outage {Guid.NewGuid():N}"[..24];
        await editor.Locator("[data-testid=city-name-input]").FillAsync(name);
        await editor.Locator("[data-testid=city-country-input]").FillAsync("Japan");
        await editor.Locator(".mud-popover-open").GetByText("Japan (JP)", new() { Exact = true }).ClickAsync();
        await Expect(editor.Locator("[data-testid=city-region-input]")).ToHaveValueAsync("Asia");

        await cluster.PauseAsync();
        try
        {
            // Both wait out the retries at the same time, so the outage costs the run one retry period.
            await editor.Locator("[data-testid=city-save]").ClickAsync();
            await reader.GetByRole(AriaRole.Link, new() { Name = "Dashboards", Exact = true }).ClickAsync();

            await Expect(editor.Locator("[data-testid=save-error]")).ToBeVisibleAsync(AfterRetries);
            await Expect(editor.Locator("[data-testid=save-error]")).ToContainTextAsync("The database cannot be reached right now");
            await Expect(editor.Locator("[data-testid=city-name-input]")).ToHaveValueAsync(name);
            await Expect(editor.Locator("[data-testid=city-region-input]")).ToHaveValueAsync("Asia");

            await reader.WaitForURLAsync("**/dashboards");
            await Expect(reader.Locator("[data-testid=page-error]")).ToBeVisibleAsync(AfterRetries);
            await Expect(reader.Locator("[data-testid=page-error]")).ToContainTextAsync("The database cannot be reached right now");
            await Expect(reader.Locator("body")).Not.ToContainTextAsync("Exception");
            // The circuit is alive: Blazor's reconnect overlay and error bar are not showing.
            await Expect(reader.Locator("#blazor-error-ui")).ToBeHiddenAsync();
            await Expect(reader.Locator("#components-reconnect-modal")).ToBeHiddenAsync();

            // A page whose access depends on the record asks the database before the page exists, above its error
            // boundary: the same message, not "access denied", not a sign-in, and the circuit lives on.
            await navigator.EvaluateAsync("path => Blazor.navigateTo(path)", $"/cities/{herent}/edit");
            await Expect(navigator.Locator("[data-testid=page-error]")).ToContainTextAsync("The database cannot be reached right now", new() { Timeout = 180_000 });
            await Expect(navigator.Locator("[data-testid=not-allowed]")).ToHaveCountAsync(0);
            await Expect(navigator.Locator("#blazor-error-ui")).ToBeHiddenAsync();
            await Expect(navigator.Locator("#components-reconnect-modal")).ToBeHiddenAsync();
        }
        finally
        {
            await cluster.ResumeAsync();
        }

        // The same form, the same click: no app restart, no reload of the page.
        await editor.Locator("[data-testid=city-save]").ClickAsync();
        await Expect(editor.GetByRole(AriaRole.Heading, new() { Name = name, Level = 1, Exact = true })).ToBeVisibleAsync(AfterRetries);
        var options = new DbContextOptionsBuilder<CityPairsDbContext>();
        DatabaseSetup.Configure(options, connectionString);
        await using (var db = new CityPairsDbContext(options.Options))
        {
            var saved = await db.Cities.AsNoTracking().SingleAsync(c => c.Name == name);
            Assert.Equal("JP", saved.CountryCode);
        }

        // The page that failed recovers in the same circuit.
        await reader.GetByRole(AriaRole.Button, new() { Name = "Try again" }).ClickAsync();
        await Expect(reader.Locator("[data-testid=total-partnerships]")).ToBeVisibleAsync(AfterRetries);
        await Expect(reader.Locator("[data-testid=page-error]")).ToHaveCountAsync(0);

        await navigator.GetByRole(AriaRole.Button, new() { Name = "Try again" }).ClickAsync();
        await Expect(navigator.Locator("[data-testid=city-name-input]")).ToHaveValueAsync("Herent", new() { Timeout = 180_000 });
    }

    private static async Task<int> HerentAsync(string connectionString)
    {
        var options = new DbContextOptionsBuilder<CityPairsDbContext>();
        DatabaseSetup.Configure(options, connectionString);
        await using var db = new CityPairsDbContext(options.Options);
        return await db.Cities.Where(c => c.Name == "Herent" && c.CountryCode == "BE").Select(c => c.Id).SingleAsync();
    }

    private static async Task<IPage> OpenSignedInAsync(IBrowser browser, Uri baseAddress, string path)
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = baseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = 1400, Height = 900 },
        });
        var page = await context.NewPageAsync();
        await BrowserFixture.SignInAsync(page, DemoUser.Officer);
        await page.GotoAsync(path);
        await page.Locator("[data-testid=interactive]").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached });
        return page;
    }
}
