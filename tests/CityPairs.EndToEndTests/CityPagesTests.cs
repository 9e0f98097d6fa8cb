using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CityPairs.EndToEndTests;

[Collection(BrowserTests.Name)]
public sealed class CityPagesTests(BrowserFixture browser)
{
    private static ILocator Names(IPage page) => page.Locator("[data-testid=city-name]");

    [Fact]
    public async Task Filtering_by_country_shows_only_that_country_and_an_empty_combination_says_so()
    {
        var page = await browser.OpenAsync("/cities", DemoUser.Officer);
        await Expect(Names(page).First).ToHaveTextAsync("Almada");

        await page.ChooseAsync("filter-country", "Belgium (BE)");

        await Expect(Names(page)).ToHaveTextAsync(["Brasschaat", "Edegem", "Herent"]);

        await page.ChooseAsync("filter-region", "Asia");

        await Expect(Names(page)).ToHaveCountAsync(0);
        await Expect(page.Locator("[data-testid=cities-empty]")).ToHaveTextAsync("No city matches these filters.");
    }

    [Fact]
    public async Task Filtering_by_programme_sdg_and_theme_narrows_the_list()
    {
        var page = await browser.OpenAsync("/cities", DemoUser.Officer);
        await Expect(Names(page).First).ToHaveTextAsync("Almada");

        await page.ChooseAsync("filter-programme", "World Cities (WC)");

        await Expect(Names(page)).ToHaveCountAsync(16);
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Ottawa", Exact = true })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Barcelona", Exact = true })).ToHaveCountAsync(0);

        await page.ChooseAsync("filter-sdg", "14 · Life Below Water");
        await page.ChooseAsync("filter-theme", "Blue economy");

        await Expect(Names(page)).ToHaveTextAsync(["Burgas", "Halifax"]);
    }

    [Fact]
    public async Task The_detail_page_shows_profile_sdg_chips_themes_partnerships_and_exchanges()
    {
        var page = await browser.OpenAsync("/cities", DemoUser.Officer);
        await page.GetByPlaceholder("Search by name").FillAsync("Brasschaat");
        await Expect(Names(page)).ToHaveCountAsync(1);

        await Names(page).First.ClickAsync();

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Brasschaat", Level = 1 })).ToBeVisibleAsync();
        await Expect(page.Locator("[data-testid=city-country]")).ToHaveTextAsync("Belgium (BE)");
        await Expect(page.Locator("[data-testid=city-region]")).ToHaveTextAsync("Europe");
        var climate = page.Locator("[data-testid=city-sdgs]").GetByLabel("SDG 13: Climate Action");
        await Expect(climate).ToHaveCSSAsync("background-color", "rgb(63, 126, 68)");
        await Expect(page.Locator("[data-testid=city-partnership]")).ToContainTextAsync("Brasschaat - Tarija");
        await Expect(page.Locator("[data-testid=city-partnership]")).ToContainTextAsync("with Tarija");
        await Expect(page.Locator("[data-testid=city-exchange]").First).ToContainTextAsync("Final two-day gathering in Flanders");
        await Expect(page.Locator("[data-testid=city-contacts-empty]")).ToBeVisibleAsync();
        await Expect(page.Locator("[data-testid=city-delete]")).ToHaveCountAsync(0);
        await BrowserFixture.SaveScreenshotAsync(page, "city-detail");
    }

    [Fact]
    public async Task Creating_a_city_fills_the_region_from_the_country_and_saves_it()
    {
        var name = $"Zz Created {Guid.NewGuid():N}"[..24];
        var page = await browser.OpenAsync("/cities/new", DemoUser.Officer);

        await page.GetByLabel("Name").First.FillAsync(name);
        await page.Locator("[data-testid=city-country-input]").FillAsync("Japan");
        await page.Locator(".mud-popover-open").GetByText("Japan (JP)", new() { Exact = true }).ClickAsync();
        await Expect(page.Locator("[data-testid=city-region-input]")).ToHaveValueAsync("Asia");
        await page.Locator("[data-testid=sdg-11]").ClickAsync();
        await page.Locator("[data-testid=city-add-contact]").ClickAsync();
        await page.Locator("[data-testid=contact-name-input]").FillAsync("Yuki Tanaka");
        await page.Locator("[data-testid=contact-email-input]").FillAsync("yuki@example.org");
        await BrowserFixture.SaveScreenshotAsync(page, "city-edit");
        await page.Locator("[data-testid=city-save]").ClickAsync();

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = name, Level = 1, Exact = true })).ToBeVisibleAsync();
        await Expect(page.Locator("[data-testid=city-region]")).ToHaveTextAsync("Asia");
        await Expect(page.Locator("[data-testid=city-contact]")).ToContainTextAsync("Yuki Tanaka");
        var saved = await browser.Database.FindCityAsync(name);
        Assert.NotNull(saved);
        Assert.Equal("JP", saved.CountryCode);
        Assert.Equal([11], saved.PrioritySdgs);
        Assert.Equal("Yuki Tanaka", Assert.Single(saved.Contacts).Name);
    }

    [Fact]
    public async Task Bad_input_shows_field_messages_keeps_the_input_and_saves_nothing()
    {
        var name = $"Zz Bad {Guid.NewGuid():N}"[..20];
        var page = await browser.OpenAsync("/cities/new", DemoUser.Officer);

        await page.GetByLabel("Name").First.FillAsync(name);
        await page.Locator("[data-testid=city-population-input]").FillAsync("-5");
        await page.Locator("[data-testid=city-latitude-input]").FillAsync("95");
        await page.Locator("[data-testid=city-add-contact]").ClickAsync();
        await page.Locator("[data-testid=contact-name-input]").FillAsync("No Mail");
        await page.Locator("[data-testid=contact-email-input]").FillAsync("not-an-address");
        await page.Locator("[data-testid=city-save]").ClickAsync();

        await Expect(page.GetByText("Choose a country.")).ToBeVisibleAsync();
        await Expect(page.GetByText("The population must be a positive number.")).ToBeVisibleAsync();
        await Expect(page.GetByText("The latitude must lie between -90 and 90.")).ToBeVisibleAsync();
        await Expect(page.GetByText("Enter an email address such as name@city.org.")).ToBeVisibleAsync();
        await Expect(page.GetByLabel("Name").First).ToHaveValueAsync(name);
        await Expect(page.Locator("[data-testid=contact-email-input]")).ToHaveValueAsync("not-an-address");
        await Expect(page).ToHaveURLAsync(new Uri(browser.BaseAddress, "/cities/new").ToString());
        Assert.Null(await browser.Database.FindCityAsync(name));
    }

    [Fact]
    public async Task A_duplicate_is_caught_before_saving_with_a_link_to_the_existing_city()
    {
        var existingId = await browser.Database.AddCityAsync("Dup");
        var existing = (await browser.Database.FindCityAsync(existingId))!;
        var page = await browser.OpenAsync("/cities/new", DemoUser.Officer);

        await page.GetByLabel("Name").First.FillAsync(existing.Name.ToUpperInvariant());
        await page.Locator("[data-testid=city-country-input]").FillAsync("Portugal");
        await page.Locator(".mud-popover-open").GetByText("Portugal (PT)", new() { Exact = true }).ClickAsync();
        await page.Locator("[data-testid=city-save]").ClickAsync();

        await Expect(page.Locator("[data-testid=duplicate-alert]")).ToContainTextAsync("already registered in this country");
        await Expect(page.GetByLabel("Name").First).ToHaveValueAsync(existing.Name.ToUpperInvariant());
        await page.Locator("[data-testid=duplicate-link]").ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = existing.Name, Level = 1 })).ToBeVisibleAsync();
        Assert.Null(await browser.Database.FindCityAsync(existing.Name.ToUpperInvariant()));
    }

    [Fact]
    public async Task Editing_a_city_saves_the_change()
    {
        var id = await browser.Database.AddCityAsync("Edit");
        var page = await browser.OpenAsync($"/cities/{id}", DemoUser.Officer);
        await page.Locator("[data-testid=city-edit]").ClickAsync();

        await page.Locator("[data-testid=city-profile-input]").FillAsync("A town with a new profile.");
        await page.Locator("[data-testid=city-save]").ClickAsync();

        await Expect(page.Locator("[data-testid=city-profile-text]")).ToHaveTextAsync("A town with a new profile.");
        Assert.Equal("A town with a new profile.", (await browser.Database.FindCityAsync(id))!.Profile);
    }

    [Fact]
    public async Task When_two_people_edit_the_same_city_the_second_save_is_refused_and_can_reload()
    {
        var id = await browser.Database.AddCityAsync("Race");
        var first = await browser.OpenAsync($"/cities/{id}/edit", DemoUser.Officer);
        var second = await browser.OpenAsync($"/cities/{id}/edit", DemoUser.Officer);
        var firstProfile = first.Locator("[data-testid=city-profile-input]");
        var secondProfile = second.Locator("[data-testid=city-profile-input]");
        await Expect(secondProfile).ToHaveValueAsync("Registered by a browser test.");

        await firstProfile.FillAsync("First editor's version.");
        await first.Locator("[data-testid=city-save]").ClickAsync();
        await Expect(first.Locator("[data-testid=city-profile-text]")).ToHaveTextAsync("First editor's version.");
        await secondProfile.FillAsync("Second editor's version.");
        await second.Locator("[data-testid=city-save]").ClickAsync();

        await Expect(second.Locator("[data-testid=conflict-alert]")).ToBeVisibleAsync();
        await Expect(secondProfile).ToHaveValueAsync("Second editor's version.");
        Assert.Equal("First editor's version.", (await browser.Database.FindCityAsync(id))!.Profile);

        await second.Locator("[data-testid=conflict-reload]").ClickAsync();

        await Expect(second.Locator("[data-testid=city-profile-input]")).ToHaveValueAsync("First editor's version.");
        await Expect(second.Locator("[data-testid=conflict-alert]")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task An_archived_city_leaves_the_list_and_can_be_restored()
    {
        var id = await browser.Database.AddCityAsync("Archive");
        var name = (await browser.Database.FindCityAsync(id))!.Name;
        var page = await browser.OpenAsync($"/cities/{id}", DemoUser.Officer);

        await page.Locator("[data-testid=city-archive]").ClickAsync();
        await Expect(page.Locator("[data-testid=city-archived]")).ToBeVisibleAsync();

        await page.GotoAsync("/cities");
        await page.Locator("[data-testid=interactive]").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        await page.GetByPlaceholder("Search by name").FillAsync(name);
        await Expect(page.Locator("[data-testid=cities-empty]")).ToBeVisibleAsync();
        await page.Locator("[data-testid=filter-archived]").ClickAsync();
        await Expect(Names(page)).ToHaveTextAsync([name]);
        await Expect(page.Locator("[data-testid=city-archived]")).ToBeVisibleAsync();

        await Names(page).First.ClickAsync();
        await page.Locator("[data-testid=city-restore]").ClickAsync();

        await Expect(page.Locator("[data-testid=city-archive]")).ToBeVisibleAsync();
        Assert.False((await browser.Database.FindCityAsync(id))!.IsArchived);
    }

    [Fact]
    public async Task A_city_without_history_can_be_deleted_after_confirming()
    {
        var id = await browser.Database.AddCityAsync("Delete");
        var page = await browser.OpenAsync($"/cities/{id}", DemoUser.Officer);

        await page.Locator("[data-testid=city-delete]").ClickAsync();
        await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();
        Assert.NotNull(await browser.Database.FindCityAsync(id));
        await page.Locator("[data-testid=city-delete]").ClickAsync();
        await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Delete" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Cities", Level = 1 })).ToBeVisibleAsync();
        Assert.Null(await browser.Database.FindCityAsync(id));
    }

    [Fact]
    public async Task The_form_is_usable_from_the_keyboard_tab_moves_on_and_enter_saves()
    {
        var id = await browser.Database.AddCityAsync("Keys");
        var newName = $"Zz Keyboard {Guid.NewGuid():N}"[..25];
        var page = await browser.OpenAsync($"/cities/{id}/edit", DemoUser.Officer);
        var nameInput = page.GetByLabel("Name").First;
        await Expect(nameInput).ToBeFocusedAsync();

        await page.Keyboard.PressAsync("Tab");
        await Expect(page.Locator("[data-testid=city-country-input]")).ToBeFocusedAsync();

        await nameInput.FocusAsync();
        await page.Keyboard.PressAsync("Control+A");
        await page.Keyboard.TypeAsync(newName);
        await page.Keyboard.PressAsync("Enter");

        // The detail page (not the form's own title) shows the saved name.
        await Expect(page.Locator("[data-testid=city-title]")).ToHaveTextAsync(newName);
        Assert.Equal(newName, (await browser.Database.FindCityAsync(id))!.Name);
    }
}
