using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CityPairs.EndToEndTests;

[Collection(BrowserTests.Name)]
public sealed class ProgrammePagesTests(BrowserFixture browser)
{
    [Fact]
    public async Task The_programmes_page_lists_programmes_and_opens_a_detail()
    {
        var page = await browser.OpenAsync("/programmes", DemoUser.Administrator);

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Programmes", Level = 1 })).ToBeVisibleAsync();
        await Expect(page.Locator("[data-testid=programme-name]").First).ToBeVisibleAsync();
        await Expect(page.Locator("[data-testid=not-built-yet]")).ToHaveCountAsync(0);
        await BrowserFixture.SaveScreenshotAsync(page, "programmes");

        await page.GetByRole(AriaRole.Link, new() { Name = "World Cities", Exact = true }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "World Cities", Level = 1 })).ToBeVisibleAsync();
        await Expect(page.Locator("[data-testid=programme-partnership]")).ToHaveCountAsync(8);
        await Expect(page.Locator("[data-testid=programme-city]")).ToHaveCountAsync(16);
        await Expect(page.Locator("[data-testid=programme-exchange-year]").First).ToBeVisibleAsync();
        await BrowserFixture.SaveScreenshotAsync(page, "programme-detail");
    }

    [Fact]
    public async Task A_search_that_matches_no_programme_says_so()
    {
        var page = await browser.OpenAsync("/programmes", DemoUser.Administrator);
        await Expect(page.Locator("[data-testid=programme-name]").First).ToBeVisibleAsync();

        await page.GetByPlaceholder("Search by name").FillAsync("Atlantis");

        await Expect(page.Locator("[data-testid=programmes-empty]")).ToContainTextAsync("No programme matches");
    }

    [Fact]
    public async Task Creating_a_programme_shows_field_messages_first_then_saves_with_enter()
    {
        var shortName = $"Z{Guid.NewGuid():N}"[..10].ToUpperInvariant();
        var page = await browser.OpenAsync("/programmes/new", DemoUser.Administrator);

        await page.Locator("[data-testid=programme-name-input]").FillAsync("Zz Browser Programme");
        await page.Locator("[data-testid=programme-website-input]").FillAsync("not a url");
        await page.Locator("[data-testid=programme-save]").ClickAsync();

        await Expect(page.GetByText("Enter a short name, such as URBACT or IUC.")).ToBeVisibleAsync();
        await Expect(page.GetByText("Enter the date the programme started.")).ToBeVisibleAsync();
        await Expect(page.GetByText("Enter a web address starting with https://.")).ToBeVisibleAsync();
        await Expect(page.Locator("[data-testid=programme-name-input]")).ToHaveValueAsync("Zz Browser Programme");
        Assert.False(await ExistsAsync(shortName));

        await page.Locator("[data-testid=programme-short-name-input]").FillAsync(shortName);
        await page.Locator("[data-testid=programme-starts-input]").FillAsync("2024-03-01");
        await page.Locator("[data-testid=programme-website-input]").FillAsync("https://example.org");
        await page.Locator("[data-testid=programme-website-input]").PressAsync("Enter");

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Zz Browser Programme", Level = 1, Exact = true })).ToBeVisibleAsync();
        await Expect(page.Locator("[data-testid=programme-partnerships-empty]")).ToBeVisibleAsync();
        await Expect(page.Locator("[data-testid=programme-exchanges-empty]")).ToBeVisibleAsync();
        Assert.True(await ExistsAsync(shortName));
    }

    [Fact]
    public async Task Editing_a_programme_saves_and_a_concurrent_edit_is_refused()
    {
        var shortName = $"Z{Guid.NewGuid():N}"[..10].ToUpperInvariant();
        int id;
        await using (var db = browser.Database.CreateDbContext())
        {
            var programme = new Domain.Programmes.Programme
            {
                Name = "Zz Edited Programme", ShortName = shortName, StartsOn = new DateOnly(2024, 1, 1),
                Modalities = [Domain.Partnerships.Modality.Pairing],
            };
            db.Programmes.Add(programme);
            await db.SaveChangesAsync();
            id = programme.Id;
        }

        var first = await browser.OpenAsync($"/programmes/{id}", DemoUser.Administrator);
        await first.Locator("[data-testid=programme-edit]").ClickAsync();
        var second = await browser.OpenAsync($"/programmes/{id}/edit", DemoUser.Administrator);
        await Expect(second.Locator("[data-testid=programme-funder-input]")).ToBeVisibleAsync();

        await first.Locator("[data-testid=programme-funder-input]").FillAsync("First funder");
        await first.Locator("[data-testid=programme-save]").ClickAsync();
        await Expect(first.GetByRole(AriaRole.Heading, new() { Name = "Zz Edited Programme", Level = 1, Exact = true })).ToBeVisibleAsync();
        await Expect(first.GetByText("First funder")).ToBeVisibleAsync();

        await second.Locator("[data-testid=programme-funder-input]").FillAsync("Second funder");
        await second.Locator("[data-testid=programme-save]").ClickAsync();

        await Expect(second.Locator("[data-testid=conflict-alert]")).ToBeVisibleAsync();
        await Expect(second.Locator("[data-testid=programme-funder-input]")).ToHaveValueAsync("Second funder");
        await using var check = browser.Database.CreateDbContext();
        Assert.Equal("First funder", (await check.Programmes.SingleAsync(p => p.Id == id)).Funder);
    }

    private async Task<bool> ExistsAsync(string shortName)
    {
        await using var db = browser.Database.CreateDbContext();
        return await db.Programmes.AnyAsync(p => p.ShortName == shortName);
    }

    [Fact]
    public async Task An_administrator_adds_a_city_to_the_cities_a_programme_works_with_and_removes_it()
    {
        // A city of this test's own, claimed by no programme (AddCityAsync would claim it for the demo officer's).
        var name = $"Zz Scope {Guid.NewGuid():N}"[..20];
        int cityId, worldCities;
        await using (var db = browser.Database.CreateDbContext())
        {
            var city = new CityPairs.Domain.Cities.City
            {
                Name = name, CountryCode = "NA", Region = CityPairs.Domain.Common.Region.Africa, Latitude = -22.6, Longitude = 17.1,
            };
            db.Cities.Add(city);
            await db.SaveChangesAsync();
            cityId = city.Id;
            worldCities = await db.Programmes.Where(p => p.ShortName == "WC").Select(p => p.Id).SingleAsync();
        }

        var page = await browser.OpenAsync($"/programmes/{worldCities}", DemoUser.Administrator);
        var section = page.Locator("[data-testid=programme-works-with]");
        await section.ScrollIntoViewIfNeededAsync();
        await page.Locator("[data-testid=programme-add-city]").FillAsync(name);
        await page.Locator(".mud-popover-open .mud-list-item").Filter(new() { HasText = name }).First.ClickAsync();
        await page.Locator("[data-testid=programme-add-city-button]").ClickAsync();

        var chip = section.Locator("[data-testid=programme-works-with-city]").Filter(new() { HasText = name });
        await Expect(chip).ToBeVisibleAsync();
        await section.ScreenshotAsync(new LocatorScreenshotOptions { Path = ScreenPath("programme-works-with") });
        await using (var db = browser.Database.CreateDbContext())
        {
            Assert.True(await db.ProgrammeCities.AnyAsync(pc => pc.ProgrammeId == worldCities && pc.CityId == cityId));
        }

        // Removing asks first, from the keyboard too: Cancel keeps the city, the dialog's Remove takes it off.
        await chip.Locator(".mud-chip-close-button").FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        var dialog = page.GetByRole(AriaRole.Dialog);
        await Expect(dialog).ToContainTextAsync(name);
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(dialog).ToHaveCountAsync(0);
        await Expect(chip).ToBeVisibleAsync();
        await using (var db = browser.Database.CreateDbContext())
        {
            Assert.True(await db.ProgrammeCities.AnyAsync(pc => pc.ProgrammeId == worldCities && pc.CityId == cityId));
        }

        await chip.Locator(".mud-chip-close-button").FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Remove" }).FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(chip).ToHaveCountAsync(0);
        await using (var db = browser.Database.CreateDbContext())
        {
            Assert.False(await db.ProgrammeCities.AnyAsync(pc => pc.ProgrammeId == worldCities && pc.CityId == cityId));
        }
    }

    [Fact]
    public async Task A_programme_with_many_cities_shows_them_a_page_at_a_time_and_finds_one_by_name()
    {
        // A programme of this test's own with more cities than one page holds.
        var tag = Guid.NewGuid().ToString("N")[..6];
        int programmeId;
        await using (var db = browser.Database.CreateDbContext())
        {
            var programme = new CityPairs.Domain.Programmes.Programme
            {
                Name = $"Zz Many {tag}", ShortName = $"ZZ{tag}", Funder = "A foundation", StartsOn = new DateOnly(2024, 1, 1),
            };
            db.Programmes.Add(programme);
            var cities = Enumerable.Range(1, 45).Select(i => new CityPairs.Domain.Cities.City
            {
                Name = $"Zz Many {tag} {i:00}", CountryCode = "NA", Region = CityPairs.Domain.Common.Region.Africa, Latitude = -22, Longitude = 17,
            }).ToList();
            db.Cities.AddRange(cities);
            await db.SaveChangesAsync();
            programmeId = programme.Id;
            db.ProgrammeCities.AddRange(cities.Select(c => new CityPairs.Web.Features.Accounts.ProgrammeCity { ProgrammeId = programme.Id, CityId = c.Id }));
            await db.SaveChangesAsync();
        }

        var page = await browser.OpenAsync($"/programmes/{programmeId}", DemoUser.Administrator);
        var section = page.Locator("[data-testid=programme-works-with]");
        var chips = section.Locator("[data-testid=programme-works-with-city]");
        await Expect(chips).ToHaveCountAsync(40);
        await Expect(section.Locator("[data-testid=programme-works-with-count]")).ToHaveTextAsync("1–40 of 45");
        await section.Locator("[data-testid=programme-works-with-pages]").Locator("button").Filter(new() { HasTextRegex = new System.Text.RegularExpressions.Regex("^\\s*2\\s*$") }).ClickAsync();
        await Expect(chips).ToHaveCountAsync(5);
        await Expect(section.Locator("[data-testid=programme-works-with-count]")).ToHaveTextAsync("41–45 of 45");

        await section.Locator("[data-testid=programme-works-with-search]").FillAsync($"{tag} 07");
        await Expect(chips).ToHaveCountAsync(1);
        await Expect(chips.First).ToContainTextAsync($"Zz Many {tag} 07");
        await section.ScreenshotAsync(new LocatorScreenshotOptions { Path = ScreenPath("programme-works-with-search") });
        await section.Locator("[data-testid=programme-works-with-search]").FillAsync($"{tag} none");
        await Expect(chips).ToHaveCountAsync(0);
        await Expect(section.Locator("[data-testid=programme-works-with-no-match]")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task An_officer_sees_the_cities_their_programme_works_with_but_cannot_change_them()
    {
        int vvsg;
        await using (var db = browser.Database.CreateDbContext())
        {
            vvsg = await db.Programmes.Where(p => p.ShortName == "VVSG C2C").Select(p => p.Id).SingleAsync();
        }

        var page = await browser.OpenAsync($"/programmes/{vvsg}", DemoUser.Officer);

        await Expect(page.Locator("[data-testid=programme-works-with-city]").First).ToBeVisibleAsync();
        await Expect(page.Locator("[data-testid=programme-add-city]")).ToHaveCountAsync(0);
        await Expect(page.Locator("[data-testid=programme-works-with] .mud-chip-close-button")).ToHaveCountAsync(0);
    }

    private static string ScreenPath(string name)
    {
        var dir = Path.Combine(AppContext.BaseDirectory, "screens");
        Directory.CreateDirectory(dir);
        return Path.Combine(dir, name + ".png");
    }
}
