using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CityPairs.EndToEndTests;

[Collection(BrowserTests.Name)]
public sealed class CitiesPageTests(BrowserFixture browser)
{
    [Fact]
    public async Task The_cities_page_lists_the_seeded_cities()
    {
        var page = await browser.OpenAsync("/cities", DemoUser.Officer);

        var names = page.Locator("[data-testid=city-name]");
        await Expect(names.First).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Cities" })).ToBeVisibleAsync();
        // Sorted by name: the first page starts with the demo data's alphabetically first city.
        await Expect(names.First).ToHaveTextAsync("Almada");
        await Expect(page.GetByText("Hannover", new() { Exact = true })).ToBeVisibleAsync();
        await Expect(names).ToHaveCountAsync(25);
        await BrowserFixture.SaveScreenshotAsync(page, "cities");
    }

    [Fact]
    public async Task Typing_in_the_search_box_filters_the_list()
    {
        var page = await browser.OpenAsync("/cities", DemoUser.Officer);
        var names = page.Locator("[data-testid=city-name]");
        await Expect(names.First).ToBeVisibleAsync();

        await page.GetByPlaceholder("Search by name").FillAsync("medellin");

        await Expect(names).ToHaveCountAsync(1);
        await Expect(names.First).ToHaveTextAsync("Medellín");
    }

    [Fact]
    public async Task A_search_that_matches_nothing_says_so()
    {
        var page = await browser.OpenAsync("/cities", DemoUser.Officer);
        await Expect(page.Locator("[data-testid=city-name]").First).ToBeVisibleAsync();

        await page.GetByPlaceholder("Search by name").FillAsync("Atlantis");

        await Expect(page.Locator("[data-testid=cities-empty]")).ToContainTextAsync("No city matches");
        await Expect(page.Locator("[data-testid=city-name]")).ToHaveCountAsync(0);
    }
}
