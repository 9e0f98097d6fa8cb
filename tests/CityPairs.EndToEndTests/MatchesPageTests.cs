using CityPairs.Domain.Partnerships;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CityPairs.EndToEndTests;

[Collection(BrowserTests.Name)]
public sealed class MatchesPageTests(BrowserFixture browser)
{
    [Fact]
    public async Task The_page_asks_for_a_city_first()
    {
        var page = await browser.OpenAsync("/matches", DemoUser.Officer);

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Matches" })).ToBeVisibleAsync();
        await Expect(page.Locator("[data-testid=matches-pick-city]")).ToContainTextAsync("Pick a city");
    }

    [Fact]
    public async Task A_facilitator_picks_a_city_compares_a_suggestion_and_proposes_it()
    {
        // Inhambane is used by no other browser test; proposing adds a partnership and changes no city.
        var page = await browser.OpenAsync("/matches", DemoUser.Officer);

        await page.GetByLabel("City").FillAsync("Inhamb");
        await page.Locator(".mud-popover-open").GetByText("Inhambane (MZ)").ClickAsync();

        var cards = page.Locator("[data-testid=match-card]");
        await Expect(cards.First).ToBeVisibleAsync();
        var first = cards.First;
        var candidate = (await first.Locator("[data-testid=match-candidate]").InnerTextAsync()).Trim();
        await Expect(first.Locator("[data-testid=match-sentence]").First).ToBeVisibleAsync();
        await Expect(first.Locator("[data-testid=match-sentence]").Filter(new() { HasText = "km apart" })).ToHaveCountAsync(1);
        await Expect(first.Locator(".sdg-chip, [data-testid=match-theme]").First).ToBeVisibleAsync();
        await Expect(first.Locator("[data-testid=match-score]")).ToContainTextAsync(" of ");

        await first.Locator("[data-testid=match-compare]").ClickAsync();
        var profiles = page.Locator("[data-testid=compare-profile]");
        await Expect(profiles).ToHaveCountAsync(2);
        await Expect(profiles.Nth(0)).ToContainTextAsync("Inhambane");
        await Expect(profiles.Nth(1)).ToContainTextAsync(candidate);
        await BrowserFixture.SaveScreenshotAsync(page, "matches-compare");
        await page.Locator("[data-testid=compare-close]").ClickAsync();
        await Expect(profiles).ToHaveCountAsync(0);

        await BrowserFixture.SaveScreenshotAsync(page, "matches");
        await first.Locator("[data-testid=match-propose]").ClickAsync();
        await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Propose partnership" }).ClickAsync();

        await Expect(page.Locator("[data-testid=proposed-link]")).ToHaveTextAsync($"Inhambane - {candidate}");
        var href = await page.Locator("[data-testid=proposed-link]").GetAttributeAsync("href");
        Assert.Matches(@"partnerships/\d+$", href);
        // Proposed pairs leave the list: the first card is now someone else.
        await Expect(cards.First.Locator("[data-testid=match-candidate]")).Not.ToHaveTextAsync(candidate);

        await using var db = browser.Database.CreateDbContext();
        var partnership = await db.Partnerships.Include(p => p.Members)
            .SingleAsync(p => p.Name == $"Inhambane - {candidate}");
        Assert.Equal(PartnershipStatus.Proposed, partnership.Status);
        Assert.Equal(2, partnership.Members.Count);
        Assert.StartsWith("Suggested by CityPairs matching on", partnership.Description, StringComparison.Ordinal);
        Assert.Equal($"partnerships/{partnership.Id}", href);
    }

    [Fact]
    public async Task The_city_list_links_to_a_city_s_matches()
    {
        var page = await browser.OpenAsync("/cities", DemoUser.Officer);
        await page.GetByPlaceholder("Search by name").FillAsync("Herent");
        await Expect(page.Locator("[data-testid=city-name]")).ToHaveCountAsync(1);

        await page.Locator("[data-testid=city-matches]").ClickAsync();

        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex(@"/matches\?city=\d+$"));
        await Expect(page.Locator("[data-testid=match-card]").First).ToBeVisibleAsync();
        await Expect(page.GetByLabel("City")).ToHaveValueAsync("Herent (BE)");
    }

    [Fact]
    public async Task The_city_page_links_to_its_matches()
    {
        var page = await browser.OpenAsync("/cities", DemoUser.Officer);
        await page.GetByPlaceholder("Search by name").FillAsync("Tarija");
        await Expect(page.Locator("[data-testid=city-name]")).ToHaveCountAsync(1);
        await page.Locator("[data-testid=city-name]").First.ClickAsync();
        await Expect(page.Locator("[data-testid=city-title]")).ToHaveTextAsync("Tarija");

        await page.Locator("[data-testid=city-find-partners]").ClickAsync();

        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex(@"/matches\?city=\d+$"));
        await Expect(page.Locator("[data-testid=match-card]").First).ToBeVisibleAsync();
        await Expect(page.GetByLabel("City")).ToHaveValueAsync("Tarija (BO)");
    }
}
