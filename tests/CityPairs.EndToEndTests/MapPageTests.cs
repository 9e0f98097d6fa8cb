using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CityPairs.EndToEndTests;

[Collection(BrowserTests.Name)]
public sealed class MapPageTests(BrowserFixture browser)
{
    [Fact]
    public async Task The_map_draws_outlines_markers_and_arcs_with_the_network_cut_off()
    {
        await using var db = browser.Database.CreateDbContext();
        var activeCities = await db.Cities.Where(c => !c.IsArchived).Select(c => c.Id).ToListAsync();
        var members = await db.Partnerships.Where(p => !p.IsArchived)
            .Select(p => p.Members.Count(m => activeCities.Contains(m.CityId))).ToListAsync();
        var arcs = members.Where(n => n >= 2).Sum(n => n - 1);

        var page = await browser.OpenAsync("/map", DemoUser.Officer);
        // Nothing but the app itself answers: no tiles, no CDN.
        var origin = browser.BaseAddress.GetLeftPart(UriPartial.Authority);
        var outside = new List<string>();
        await page.Context.RouteAsync("**/*", async route =>
        {
            if (route.Request.Url.StartsWith(origin, StringComparison.Ordinal))
            {
                await route.ContinueAsync();
            }
            else
            {
                outside.Add(route.Request.Url);
                await route.AbortAsync();
            }
        });
        await page.ReloadAsync();
        await page.Locator("[data-testid=interactive]").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached });

        var map = page.Locator("[data-testid=map]");
        await Expect(map).ToHaveAttributeAsync("data-arcs", arcs.ToString(CultureInfo.InvariantCulture));
        await Expect(page.Locator("path.cp-city")).ToHaveCountAsync(activeCities.Count);
        await Expect(page.Locator("path.cp-arc")).ToHaveCountAsync(arcs);
        Assert.True(await page.Locator("path.cp-country").CountAsync() > 100, "The offline country outlines are drawn.");
        Assert.Empty(outside);
        await BrowserFixture.SaveScreenshotAsync(page, "map");

        var brasschaat = await db.Partnerships.Where(p => p.Name == "Brasschaat - Tarija").Select(p => p.Id).SingleAsync();
        await page.Locator($"path.cp-arc[data-partnership='{brasschaat}']").DispatchEventAsync("click");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Brasschaat - Tarija" })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Filtering_by_status_keeps_only_those_arcs_and_a_marker_opens_its_city()
    {
        await using var db = browser.Database.CreateDbContext();
        var discontinued = await db.Partnerships.Where(p => !p.IsArchived && p.Status == Domain.Partnerships.PartnershipStatus.Discontinued)
            .SumAsync(p => p.Members.Count - 1);

        var page = await browser.OpenAsync("/map?status=Discontinued", DemoUser.Officer);
        await Expect(page.Locator("[data-testid=map]")).ToHaveAttributeAsync("data-arcs", discontinued.ToString(CultureInfo.InvariantCulture));
        await Expect(page.Locator("path.cp-arc")).ToHaveCountAsync(discontinued);

        var edegem = await db.Cities.Where(c => c.Name == "Edegem").Select(c => c.Id).SingleAsync();
        await page.Locator($"path.cp-city[data-city='{edegem}']").DispatchEventAsync("click");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Edegem" })).ToBeVisibleAsync();
    }
}
