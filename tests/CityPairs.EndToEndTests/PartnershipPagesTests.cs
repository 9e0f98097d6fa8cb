using CityPairs.Domain.Partnerships;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CityPairs.EndToEndTests;

[Collection(BrowserTests.Name)]
public sealed class PartnershipPagesTests(BrowserFixture browser)
{
    private static async Task PickAsync(IPage page, string testId, string option)
    {
        await page.Locator($"[data-testid={testId}]").ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item").GetByText(option, new() { Exact = true }).ClickAsync();
    }

    private static async Task AddMemberAsync(IPage page, string city)
    {
        var input = page.Locator("[data-testid=add-member]");
        await input.FillAsync(city);
        await page.Locator(".mud-popover-open .mud-list-item").Filter(new() { HasText = city }).First.ClickAsync();
        await Expect(page.Locator("[data-testid=member-row]").Filter(new() { HasText = city })).ToBeVisibleAsync();
    }

    /// <summary>Creates a partnership through the form and returns its detail page.</summary>
    private async Task<(IPage Page, string Name)> CreateAsync(string first, string second)
    {
        var name = $"{first} - {second} {Guid.NewGuid():N}"[..40];
        var page = await browser.OpenAsync("/partnerships/new", DemoUser.Officer);
        await page.Locator("[data-testid=name]").FillAsync(name);
        await AddMemberAsync(page, first);
        await AddMemberAsync(page, second);
        await page.Locator("[data-testid=save]").ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = name })).ToBeVisibleAsync();
        return (page, name);
    }

    private async Task<Partnership> InDatabaseAsync(string name)
    {
        await using var db = browser.Database.CreateDbContext();
        return await db.Partnerships.Include(p => p.Members).Include(p => p.StatusHistory).SingleAsync(p => p.Name == name);
    }

    [Fact]
    public async Task The_list_filters_by_status()
    {
        var page = await browser.OpenAsync("/partnerships", DemoUser.Officer);
        var names = page.Locator("[data-testid=partnership-name]");
        await Expect(names.First).ToBeVisibleAsync();
        await BrowserFixture.SaveScreenshotAsync(page, "partnerships");

        await PickAsync(page, "filter-status", "Discontinued");

        // Other browser tests may discontinue partnerships of their own; every row shown must be discontinued.
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Edegem - San Jerónimo" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Brasschaat - Tarija" })).ToHaveCountAsync(0);
        var statuses = await page.Locator("[data-testid=partnerships-table] [data-testid=status-chip]").AllInnerTextsAsync();
        Assert.All(statuses, s => Assert.Equal("Discontinued", s));
    }

    [Fact]
    public async Task The_detail_page_shows_members_agreements_history_and_exchanges()
    {
        var page = await browser.OpenAsync("/partnerships", DemoUser.Officer);
        await page.Locator("[data-testid=partnership-search]").FillAsync("Brasschaat");
        await page.GetByRole(AriaRole.Link, new() { Name = "Brasschaat - Tarija" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Brasschaat - Tarija" })).ToBeVisibleAsync();
        await Expect(page.Locator("[data-testid=members]")).ToContainTextAsync("Tarija (BO)");
        await Expect(page.Locator("[data-testid=agreement]")).ToContainTextAsync("Collaboration agreement");
        await Expect(page.Locator("[data-testid=history]")).ToContainTextAsync("Active");
        await Expect(page.Locator("[data-testid=exchange-title]")).ToHaveCountAsync(3);
        await Expect(page.Locator("[data-testid=exchange-title]").First).ToHaveTextAsync("Final two-day gathering in Flanders");
        // Only the moves the lifecycle allows from Active are offered.
        await Expect(page.Locator("[data-testid=action-Completed]")).ToBeVisibleAsync();
        await Expect(page.Locator("[data-testid=action-Agreed]")).ToHaveCountAsync(0);
        await BrowserFixture.SaveScreenshotAsync(page, "partnership-detail");
    }

    [Fact]
    public async Task Creating_with_one_member_shows_the_problem_keeps_the_input_and_saves_nothing()
    {
        var page = await browser.OpenAsync("/partnerships/new", DemoUser.Officer);
        var name = "Lonely " + Guid.NewGuid().ToString("N")[..8];
        await page.Locator("[data-testid=name]").FillAsync(name);
        await AddMemberAsync(page, "Quito");

        await page.Locator("[data-testid=save]").ClickAsync();

        await Expect(page.GetByText("A partnership needs at least two member cities.")).ToBeVisibleAsync();
        await Expect(page.Locator("[data-testid=name]")).ToHaveValueAsync(name);
        await Expect(page.Locator("[data-testid=member-row]")).ToHaveCountAsync(1);
        await using var db = browser.Database.CreateDbContext();
        Assert.False(await db.Partnerships.AnyAsync(p => p.Name == name));
    }

    [Fact]
    public async Task A_city_cannot_partner_itself()
    {
        var page = await browser.OpenAsync("/partnerships/new", DemoUser.Officer);
        await page.Locator("[data-testid=name]").FillAsync("Quito twice");
        await AddMemberAsync(page, "Quito");
        await page.Locator("[data-testid=add-member]").FillAsync("Quito");
        await page.Locator(".mud-popover-open .mud-list-item").Filter(new() { HasText = "Quito" }).First.ClickAsync();

        await page.Locator("[data-testid=save]").ClickAsync();

        await Expect(page.GetByText("a city cannot partner itself", new() { Exact = false })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task A_new_partnership_is_proposed_then_agreed_activated_and_discontinued_with_a_reason()
    {
        var (page, name) = await CreateAsync("Quito", "Kumamoto");
        await Expect(page.Locator("[data-testid=status-chip]").First).ToHaveTextAsync("Proposed");
        await Expect(page.Locator("[data-testid=action-Completed]")).ToHaveCountAsync(0);

        // The cities decide first (issue 14): the officer is told why not yet, until both cities have accepted
        // (as their coordinators would on this page; ConsentLoopTests walks that part).
        await page.Locator("[data-testid=action-Agreed]").ClickAsync();
        await page.Locator("[data-testid=action-confirm]").ClickAsync();
        await Expect(page.GetByText("Not every member city has accepted", new() { Exact = false })).ToBeVisibleAsync();
        var id = (await InDatabaseAsync(name)).Id;
        await using (var db = browser.Database.CreateDbContext())
        {
            await db.Invitations.Where(i => i.PartnershipId == id).ExecuteUpdateAsync(u => u
                .SetProperty(i => i.Status, InvitationStatus.Accepted).SetProperty(i => i.AnsweredAt, DateTimeOffset.UtcNow));
        }

        await page.ReloadAsync();
        await page.Locator("[data-testid=interactive]").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached });
        await page.Locator("[data-testid=action-Agreed]").ClickAsync();
        await page.Locator("[data-testid=action-confirm]").ClickAsync();
        await Expect(page.Locator("[data-testid=status-chip]").First).ToHaveTextAsync("Agreed");

        await page.Locator("[data-testid=action-Active]").ClickAsync();
        await page.Locator("[data-testid=action-confirm]").ClickAsync();
        await Expect(page.Locator("[data-testid=status-chip]").First).ToHaveTextAsync("Active");

        await page.Locator("[data-testid=action-Discontinued]").ClickAsync();
        await page.Locator("[data-testid=action-confirm]").ClickAsync();
        await Expect(page.Locator("[data-testid=save-error]")).ToContainTextAsync("reason");
        await Expect(page.Locator("[data-testid=status-chip]").First).ToHaveTextAsync("Active");

        await page.Locator("[data-testid=action-reason]").FillAsync("The new council chose other priorities.");
        await page.Locator("[data-testid=action-confirm]").ClickAsync();
        await Expect(page.Locator("[data-testid=status-chip]").First).ToHaveTextAsync("Discontinued");
        await Expect(page.Locator("[data-testid=history]")).ToContainTextAsync("The new council chose other priorities.");

        var saved = await InDatabaseAsync(name);
        Assert.Equal(PartnershipStatus.Discontinued, saved.Status);
        Assert.Equal(4, saved.StatusHistory.Count);
    }

    [Fact]
    public async Task An_exchange_is_logged_edited_and_deleted_from_the_partnership_page()
    {
        var (page, _) = await CreateAsync("Lima", "Toyama");
        await Expect(page.Locator("[data-testid=exchanges-empty]")).ToBeVisibleAsync();

        await page.Locator("[data-testid=log-exchange]").ClickAsync();
        await page.Locator("[data-testid=title]").FillAsync("Light rail study visit");
        await PickAsync(page, "host", "Toyama");
        await page.Locator("[data-testid=add-participants]").ClickAsync();
        await page.Locator("[data-testid=participant-count]").FillAsync("7");
        await page.Locator("[data-testid=interpretation]").FillAsync("es, ja");
        await page.Locator("[data-testid=outcomes]").FillAsync("A plan for a pilot tram line.");
        await page.Locator("[data-testid=save]").ClickAsync();

        await Expect(page.Locator("[data-testid=exchange-title]")).ToHaveTextAsync("Light rail study visit");
        await Expect(page.Locator("[data-testid=exchanges]")).ToContainTextAsync("7 participants");

        await page.Locator("[data-testid=exchange-edit]").ClickAsync();
        await page.Locator("[data-testid=title]").FillAsync("Light rail and compact city study visit");
        await page.Locator("[data-testid=title]").PressAsync("Enter");
        await Expect(page.Locator("[data-testid=exchange-title]")).ToHaveTextAsync("Light rail and compact city study visit");

        await page.Locator("[data-testid=exchange-delete]").ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await Expect(dialog).ToContainTextAsync("Light rail and compact city study visit");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Delete" }).ClickAsync();
        await Expect(page.Locator("[data-testid=exchanges-empty]")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task A_bad_exchange_shows_field_messages_and_saves_nothing()
    {
        var (page, name) = await CreateAsync("Montevideo", "Riga");
        await page.Locator("[data-testid=log-exchange]").ClickAsync();
        await page.Locator("[data-testid=title]").FillAsync("Visit");
        await page.Locator("[data-testid=add-document]").ClickAsync();
        await page.Locator("[data-testid=document-url]").FillAsync("not a link");

        await page.Locator("[data-testid=save]").ClickAsync();

        await Expect(page.GetByText("Choose the host city, or mark the exchange as online.")).ToBeVisibleAsync();
        await Expect(page.GetByText("A document link is a web address starting with https:// or http://.")).ToBeVisibleAsync();
        await Expect(page.Locator("[data-testid=title]")).ToHaveValueAsync("Visit");
        var partnership = await InDatabaseAsync(name);
        await using var db = browser.Database.CreateDbContext();
        Assert.False(await db.Exchanges.AnyAsync(e => e.PartnershipId == partnership.Id));
    }

    [Fact]
    public async Task Two_editors_of_one_partnership_the_second_is_told_and_nothing_is_overwritten()
    {
        var (first, name) = await CreateAsync("Halifax", "Burgas");
        var id = (await InDatabaseAsync(name)).Id;
        var mine = await browser.OpenAsync($"/partnerships/{id}/edit", DemoUser.Officer);
        var theirs = await browser.OpenAsync($"/partnerships/{id}/edit", DemoUser.Officer);
        await Expect(theirs.Locator("[data-testid=name]")).ToHaveValueAsync(name);

        await mine.Locator("[data-testid=name]").FillAsync(name + " (mine)");
        await mine.Locator("[data-testid=save]").ClickAsync();
        await Expect(mine.GetByRole(AriaRole.Heading, new() { Name = name + " (mine)", Exact = true })).ToBeVisibleAsync();

        await theirs.Locator("[data-testid=name]").FillAsync(name + " (theirs)");
        await theirs.Locator("[data-testid=save]").ClickAsync();

        await Expect(theirs.Locator("[data-testid=conflict-alert]")).ToBeVisibleAsync();
        await Expect(theirs.Locator("[data-testid=name]")).ToHaveValueAsync(name + " (theirs)");
        await using (var db = browser.Database.CreateDbContext())
        {
            Assert.Equal(name + " (mine)", await db.Partnerships.Where(p => p.Id == id).Select(p => p.Name).SingleAsync());
        }

        await theirs.Locator("[data-testid=conflict-reload]").ClickAsync();
        await Expect(theirs.Locator("[data-testid=name]")).ToHaveValueAsync(name + " (mine)");
        await first.CloseAsync();
    }

    [Fact]
    public async Task Archiving_hides_a_partnership_from_the_list_until_it_is_restored()
    {
        var (page, name) = await CreateAsync("Morón", "Shimokawa");

        await page.Locator("[data-testid=archive-toggle]").ClickAsync();
        await Expect(page.Locator("[data-testid=archived-chip]")).ToBeVisibleAsync();

        var list = await browser.OpenAsync("/partnerships", DemoUser.Officer);
        await list.Locator("[data-testid=partnership-search]").FillAsync(name);
        await Expect(list.Locator("[data-testid=partnerships-empty]")).ToBeVisibleAsync();
        await list.Locator("[data-testid=show-archived]").ClickAsync();
        await Expect(list.Locator("[data-testid=partnership-name]")).ToHaveTextAsync(name);

        await page.Locator("[data-testid=archive-toggle]").ClickAsync();
        await Expect(page.Locator("[data-testid=archived-chip]")).ToHaveCountAsync(0);
        Assert.False((await InDatabaseAsync(name)).IsArchived);
    }

    [Fact]
    public async Task The_form_works_from_the_keyboard_and_Enter_submits()
    {
        var page = await browser.OpenAsync("/partnerships/new", DemoUser.Officer);
        var name = "Keyboard " + Guid.NewGuid().ToString("N")[..8];

        // The name field has focus on arrival; Tab moves on to the next field.
        await Expect(page.Locator("[data-testid=name]")).ToBeFocusedAsync();
        await page.Keyboard.TypeAsync(name);
        await page.Keyboard.PressAsync("Tab");
        await Expect(page.Locator("[data-testid=name]")).Not.ToBeFocusedAsync();
        await AddMemberAsync(page, "Kitakyushu");
        await AddMemberAsync(page, "Rio de Janeiro");
        await page.Locator("[data-testid=name]").PressAsync("Enter");

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = name })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Enter_in_a_multi_line_field_starts_a_new_line_instead_of_saving()
    {
        var page = await browser.OpenAsync("/partnerships/new", DemoUser.Officer);
        var name = "Multi-line " + Guid.NewGuid().ToString("N")[..8];
        await page.Locator("[data-testid=name]").FillAsync(name);
        var description = page.Locator("[data-testid=description]");

        await description.ClickAsync();
        await page.Keyboard.TypeAsync("First line");
        await page.Keyboard.PressAsync("Enter");
        await page.Keyboard.TypeAsync("Second line");

        await Expect(description).ToHaveValueAsync("First line\nSecond line");
        // Nothing was submitted: no validation message about members, still on the form.
        await Expect(page.GetByText("A partnership needs at least two member cities.")).ToHaveCountAsync(0);
        Assert.EndsWith("/partnerships/new", page.Url, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_pdf_summary_button_downloads_a_pdf_named_after_the_partnership()
    {
        var page = await browser.OpenAsync("/partnerships", DemoUser.Coordinator);
        await page.Locator("[data-testid=partnership-search]").FillAsync("Brasschaat");
        await page.GetByRole(AriaRole.Link, new() { Name = "Brasschaat - Tarija" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Brasschaat - Tarija" })).ToBeVisibleAsync();

        var download = await page.RunAndWaitForDownloadAsync(() => page.Locator("[data-testid=summary-pdf]").ClickAsync());

        Assert.Equal("Brasschaat - Tarija.pdf", download.SuggestedFilename);
        var path = await download.PathAsync();
        var head = new byte[4];
        await using (var file = File.OpenRead(path))
        {
            await file.ReadExactlyAsync(head);
        }

        Assert.Equal("%PDF", System.Text.Encoding.ASCII.GetString(head));
    }
}
