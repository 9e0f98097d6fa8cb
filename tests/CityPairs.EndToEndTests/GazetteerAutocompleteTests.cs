using CityPairs.Web.Features.Gazetteer;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CityPairs.EndToEndTests;

[Collection(BrowserTests.Name)]
public sealed class GazetteerAutocompleteTests(BrowserFixture browser)
{
    [Fact]
    public async Task Registering_a_city_picks_a_place_from_the_gazetteer_and_fills_country_coordinates_and_population()
    {
        // A place of this test's own, so the suggestion is unambiguous whatever else the run registers.
        var unique = Guid.NewGuid().ToString("N")[..8];
        var name = $"Gazetteerville {unique}";
        await using (var db = browser.Database.CreateDbContext())
        {
            db.GazetteerPlaces.Add(new GazetteerPlace
            {
                GeonameId = 800_000_000 + Random.Shared.Next(1_000_000), Name = name, AsciiName = name, CountryCode = "CL",
                Latitude = -33.4569, Longitude = -70.6483, Population = 123_456, FeatureCode = "PPL",
            });
            await db.SaveChangesAsync();
        }

        var page = await browser.OpenAsync("/cities/new", DemoUser.Officer);
        var nameInput = page.Locator("[data-testid=city-name-input]");
        await nameInput.PressSequentiallyAsync($"gazetteerville {unique[..5]}", new() { Delay = 120 });
        var suggestion = page.Locator(".mud-popover-open [data-testid=place-suggestion]");
        await Expect(suggestion).ToHaveTextAsync([$"{name}, Chile (123,456)"]);
        await suggestion.ClickAsync();

        await Expect(nameInput).ToHaveValueAsync(name);
        await Expect(page.Locator("[data-testid=city-country-input]")).ToHaveValueAsync("Chile (CL)");
        await Expect(page.Locator("[data-testid=city-region-input]")).ToHaveValueAsync("Latin America and the Caribbean");
        await Expect(page.Locator("[data-testid=city-latitude-input]")).ToHaveValueAsync("-33.4569");
        await Expect(page.Locator("[data-testid=city-longitude-input]")).ToHaveValueAsync("-70.6483");
        await Expect(page.Locator("[data-testid=city-population-input]")).ToHaveValueAsync("123456");

        // The filled fields stay editable.
        await page.Locator("[data-testid=city-population-input]").FillAsync("123500");
        await page.Locator("[data-testid=city-save]").ClickAsync();

        await Expect(page.Locator("[data-testid=city-title]")).ToHaveTextAsync(name);
        var city = await browser.Database.FindCityAsync(name);
        Assert.NotNull(city);
        Assert.Equal(("CL", -33.4569, -70.6483, 123_500), (city.CountryCode, city.Latitude, city.Longitude, city.Population));
    }

    [Fact]
    public async Task A_name_the_gazetteer_does_not_know_is_registered_as_typed_and_suggestions_answer_the_keyboard()
    {
        var page = await browser.OpenAsync("/cities/new", DemoUser.Officer);
        var nameInput = page.Locator("[data-testid=city-name-input]");

        // The demo sample has Hannover: arrow down and Enter choose it without saving the form.
        await nameInput.PressSequentiallyAsync("hannov", new() { Delay = 120 });
        await Expect(page.Locator(".mud-popover-open [data-testid=place-suggestion]").First).ToContainTextAsync("Hannover");
        await page.Keyboard.PressAsync("ArrowDown");
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("[data-testid=city-country-input]")).ToHaveValueAsync("Germany (DE)");
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/cities/new$"));

        var typed = $"Nowhere Flats {Guid.NewGuid():N}"[..22];
        await nameInput.FillAsync(typed);
        await page.Locator("[data-testid=city-country-input]").FillAsync("Kenya");
        await page.Locator(".mud-popover-open").GetByText("Kenya (KE)", new() { Exact = true }).ClickAsync();
        await page.Locator("[data-testid=city-save]").ClickAsync();

        await Expect(page.Locator("[data-testid=city-title]")).ToHaveTextAsync(typed);
        Assert.Equal("KE", (await browser.Database.FindCityAsync(typed))!.CountryCode);
    }
}
