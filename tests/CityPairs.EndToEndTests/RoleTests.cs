using CityPairs.Web.Data.Seeding;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CityPairs.EndToEndTests;

/// <summary>Each demo account sees and can do what its role allows, and no more.</summary>
[Collection(BrowserTests.Name)]
public sealed class RoleTests(BrowserFixture browser)
{
    private async Task<int> CityAsync(string name)
    {
        await using var db = browser.Database.CreateDbContext();
        return await db.Cities.Where(c => c.Name == name).Select(c => c.Id).SingleAsync();
    }

    private async Task<int> PartnershipAsync(string name)
    {
        await using var db = browser.Database.CreateDbContext();
        return await db.Partnerships.Where(p => p.Name == name).Select(p => p.Id).FirstAsync();
    }

    private async Task<int> ProgrammeAsync(string shortName)
    {
        await using var db = browser.Database.CreateDbContext();
        return await db.Programmes.Where(p => p.ShortName == shortName).Select(p => p.Id).SingleAsync();
    }

    [Fact]
    public async Task An_anonymous_visitor_sees_the_public_directory_without_contacts_and_is_sent_to_sign_in_elsewhere()
    {
        var page = await browser.OpenAsync("/directory", DemoUser.Anonymous);
        await Expect(page.Locator("[data-testid=directory-entry]").First).ToBeVisibleAsync();
        Assert.DoesNotContain("@", await page.Locator(".mud-main-content").InnerTextAsync(), StringComparison.Ordinal);
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Cities" })).ToHaveCountAsync(0);

        await page.GotoAsync("/cities");
        await Expect(page.Locator("[data-testid=login-email]")).ToBeVisibleAsync();
        Assert.Contains("/Account/Login", page.Url, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_coordinator_of_Tarija_edits_Tarija_and_logs_its_exchanges_but_not_Herent_s()
    {
        var tarija = await CityAsync("Tarija");
        var herent = await CityAsync("Herent");
        var own = await PartnershipAsync("Brasschaat - Tarija");
        var other = await PartnershipAsync("Herent - Nimlaha'kok");

        var page = await browser.OpenAsync($"/cities/{tarija}", DemoUser.Coordinator);
        await Expect(page.Locator("[data-testid=city-edit]")).ToBeVisibleAsync();
        await Expect(page.Locator("[data-testid=city-archive]")).ToHaveCountAsync(0);
        await Expect(page.Locator("[data-testid=city-contacts-private]")).ToHaveCountAsync(0);

        await page.GotoAsync($"/cities/{herent}");
        await page.Locator("[data-testid=interactive]").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        await Expect(page.Locator("[data-testid=city-contacts-private]")).ToBeVisibleAsync();
        await Expect(page.Locator("[data-testid=city-edit]")).ToHaveCountAsync(0);

        await page.GotoAsync($"/partnerships/{own}");
        await page.Locator("[data-testid=interactive]").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        await Expect(page.Locator("[data-testid=log-exchange]")).ToBeVisibleAsync();
        await Expect(page.Locator("[data-testid=edit]")).ToHaveCountAsync(0);
        await Expect(page.Locator("[data-testid^=action-]")).ToHaveCountAsync(0);

        await page.Locator("[data-testid=log-exchange]").ClickAsync();
        await Expect(page.Locator("[data-testid=title]")).ToBeVisibleAsync();

        await page.GotoAsync($"/partnerships/{other}");
        await page.Locator("[data-testid=interactive]").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        await Expect(page.Locator("[data-testid=log-exchange]")).ToHaveCountAsync(0);

        // Typed into the address bar: the server refuses before any page renders.
        await page.GotoAsync($"/partnerships/{other}/exchanges/new");
        await Expect(page.Locator("[data-testid=access-denied]")).ToBeVisibleAsync();

        // Matches opens on Tarija, the coordinator's own city (CallsPageTests tries the others).
        await page.GotoAsync("/matches");
        await page.Locator("[data-testid=interactive]").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        await Expect(page.GetByText("partners for Tarija")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task A_facilitator_reads_uses_matches_and_proposes_but_edits_nothing()
    {
        var tarija = await CityAsync("Tarija");
        var page = await browser.OpenAsync("/matches", DemoUser.Facilitator);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToBeVisibleAsync();

        await page.GotoAsync($"/cities/{tarija}");
        await page.Locator("[data-testid=interactive]").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        await Expect(page.Locator("[data-testid=city-title]")).ToHaveTextAsync("Tarija");
        await Expect(page.Locator("[data-testid=city-edit]")).ToHaveCountAsync(0);
        await Expect(page.Locator("[data-testid=city-contacts-private]")).ToBeVisibleAsync();

        await page.GotoAsync("/partnerships");
        await page.Locator("[data-testid=interactive]").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        await Expect(page.Locator("[data-testid=new-partnership]")).ToBeVisibleAsync();
        await page.GotoAsync("/cities");
        await page.Locator("[data-testid=interactive]").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        await Expect(page.Locator("[data-testid=city-new]")).ToHaveCountAsync(0);
        await page.GotoAsync("/cities/new");
        await Expect(page.Locator("[data-testid=access-denied]")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task The_programme_officer_manages_their_programmes_only()
    {
        var vvsg = await ProgrammeAsync("VVSG C2C");
        var iuc = await ProgrammeAsync("IUC");
        var page = await browser.OpenAsync($"/programmes/{vvsg}", DemoUser.Officer);
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Edit" })).ToBeVisibleAsync();

        await page.GotoAsync($"/programmes/{iuc}");
        await page.Locator("[data-testid=interactive]").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Edit" })).ToHaveCountAsync(0);

        await page.GotoAsync($"/programmes/{iuc}/edit");
        await Expect(page.Locator("[data-testid=access-denied]")).ToBeVisibleAsync();
        await page.GotoAsync("/admin/users");
        await Expect(page.Locator("[data-testid=access-denied]")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task The_administrator_signs_in_with_a_code_and_sees_every_account_and_a_city_s_history()
    {
        var tarija = await CityAsync("Tarija");
        var page = await browser.OpenAsync("/admin/users", DemoUser.Administrator);
        var users = page.Locator("[data-testid=users]");
        await Expect(users).ToContainTextAsync(DemoAccounts.Coordinator);
        await Expect(users).ToContainTextAsync(DemoAccounts.Officer);
        await Expect(users).ToContainTextAsync("Tarija");

        await page.GotoAsync($"/cities/{tarija}");
        await page.Locator("[data-testid=interactive]").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        await page.GetByRole(AriaRole.Tab, new() { Name = "History" }).ClickAsync();
        await Expect(page.Locator("[data-testid=history-entry]").First).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Signing_out_ends_the_session_and_pages_run_under_the_content_security_policy()
    {
        var violations = new List<string>();
        var page = await browser.OpenAsync("/cities", DemoUser.Facilitator);
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase))
            {
                violations.Add(message.Text);
            }
        };
        await page.ReloadAsync();
        await page.Locator("[data-testid=interactive]").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        await page.Locator("[data-testid=city-name]").First.ClickAsync();
        await page.Locator("[data-testid=city-title]").WaitForAsync();
        Assert.Empty(violations);

        await page.Locator("[data-testid=sign-out]").ClickAsync();
        await Expect(page.Locator("[data-testid=sign-in]")).ToBeVisibleAsync();
        await page.GotoAsync("/cities");
        await Expect(page.Locator("[data-testid=login-email]")).ToBeVisibleAsync();
    }
}
