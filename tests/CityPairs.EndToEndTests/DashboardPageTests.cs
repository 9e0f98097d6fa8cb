using CityPairs.Domain.Partnerships;
using Microsoft.EntityFrameworkCore;
using static Microsoft.Playwright.Assertions;

namespace CityPairs.EndToEndTests;

[Collection(BrowserTests.Name)]
public sealed class DashboardPageTests(BrowserFixture browser)
{
    [Fact]
    public async Task A_figure_matches_the_database_and_its_link_opens_the_filtered_list()
    {
        await using var db = browser.Database.CreateDbContext();
        var active = await db.Partnerships.CountAsync(p => !p.IsArchived && p.Status == PartnershipStatus.Active);
        Assert.True(active > 0, "The demo data has active partnerships.");

        var page = await browser.OpenAsync("/dashboards", DemoUser.Officer);
        var bar = page.Locator("[data-testid=status-Active]");
        await Expect(bar).ToHaveAttributeAsync("data-count", active.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Expect(page.Locator("[data-testid=figure-sdgs] .cp-bar")).ToHaveCountAsync(17);
        await BrowserFixture.SaveScreenshotAsync(page, "dashboards");

        await bar.ClickAsync();

        await page.WaitForURLAsync("**/partnerships?status=Active");
        var statuses = page.Locator("[data-testid=partnerships-table] [data-testid=status-chip]");
        await Expect(statuses.First).ToBeVisibleAsync();
        await Expect(page.Locator("[data-testid=partnership-name]")).ToHaveCountAsync(Math.Min(active, 25));
        Assert.All(await statuses.AllInnerTextsAsync(), s => Assert.Equal("Active", s));
    }
}
