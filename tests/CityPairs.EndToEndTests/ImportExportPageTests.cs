using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CityPairs.EndToEndTests;

[Collection(BrowserTests.Name)]
public sealed class ImportExportPageTests(BrowserFixture browser)
{
    [Fact]
    public async Task An_import_with_one_bad_row_writes_nothing_and_names_the_row_and_the_problem()
    {
        var tag = Guid.NewGuid().ToString("N")[..8];
        var csv = $"city,country,latitude,longitude\nZz Import A {tag},PT,38.7,-9.1\nZz Import B {tag},PT,38.7,-200\n";
        var page = await browser.OpenAsync("/import", DemoUser.Officer);
        // Officers import cities and partnerships; the whole-portfolio workbook creates programmes: administrators only.
        await Assertions.Expect(page.Locator("[data-testid=portfolio-import]")).ToHaveCountAsync(0);
        await page.Locator("[data-testid=import-file]").SetInputFilesAsync(new FilePayload
        {
            Name = "cities.csv", MimeType = "text/csv", Buffer = Encoding.UTF8.GetBytes(csv),
        });

        var bad = page.Locator("[data-testid=import-row-error]");
        await Expect(bad).ToHaveCountAsync(1);
        await Expect(bad).ToContainTextAsync("3");
        await Expect(bad).ToContainTextAsync($"Zz Import B {tag}");
        await Expect(bad).ToContainTextAsync("longitude: The longitude must lie between -180 and 180.");
        await Expect(page.Locator("[data-testid=import-commit]")).ToBeDisabledAsync();
        await using (var db = browser.Database.CreateDbContext())
        {
            Assert.False(await db.Cities.AnyAsync(c => c.Name.Contains(tag)));
        }

        await page.Locator("[data-testid=exclude-3]").CheckAsync();
        await page.Locator("[data-testid=import-commit]").ClickAsync();
        await Expect(page.Locator("[data-testid=import-message]")).ToContainTextAsync("1 cities imported");
        await using (var db = browser.Database.CreateDbContext())
        {
            Assert.Equal([$"Zz Import A {tag}"], await db.Cities.Where(c => c.Name.Contains(tag)).Select(c => c.Name).ToListAsync());
        }
    }

    [Fact]
    public async Task The_partnerships_export_holds_the_filtered_rows()
    {
        var page = await browser.OpenAsync("/partnerships", DemoUser.Officer);
        var response = await page.APIRequest.GetAsync("/export/partnerships.csv?status=Discontinued");
        Assert.Equal(200, response.Status);
        var text = await response.TextAsync();
        var rows = text.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Skip(1).ToList();
        await using var db = browser.Database.CreateDbContext();
        Assert.Equal(await db.Partnerships.CountAsync(p => !p.IsArchived && p.Status == Domain.Partnerships.PartnershipStatus.Discontinued), rows.Count);
        Assert.Contains(rows, r => r.StartsWith("Edegem - San Jerónimo,", StringComparison.Ordinal));

        var geo = await page.APIRequest.GetAsync("/export/cities.geojson?country=BE");
        Assert.Equal("application/geo+json", geo.Headers["content-type"].Split(';')[0]);
        Assert.Contains("\"FeatureCollection\"", await geo.TextAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_portfolio_workbook_downloads_and_reads_back_with_every_clash_reported_and_nothing_written()
    {
        var page = await browser.OpenAsync("/import", DemoUser.Administrator);
        var download = await page.RunAndWaitForDownloadAsync(() => page.Locator("[data-testid=portfolio-export]").ClickAsync());
        Assert.EndsWith(".xlsx", download.SuggestedFilename, StringComparison.Ordinal);
        int cities;
        await using (var db = browser.Database.CreateDbContext())
        {
            cities = await db.Cities.CountAsync();
        }

        // This installation already has every record of its own workbook: each programme and city is a clash.
        await page.Locator("[data-testid=portfolio-file]").SetInputFilesAsync(await download.PathAsync());

        await Expect(page.Locator("[data-testid=portfolio-message]")).ToContainTextAsync("have problems");
        await Expect(page.Locator("[data-testid=portfolio-problem]").Filter(new() { HasText = "cities: Tarija (BO)" }))
            .ToContainTextAsync("A city with this name is already registered in this country."); // the city form's own message
        await Expect(page.Locator("[data-testid=portfolio-commit]")).ToHaveCountAsync(0);
        await using (var db = browser.Database.CreateDbContext())
        {
            Assert.Equal(cities, await db.Cities.CountAsync());
        }
    }
}
