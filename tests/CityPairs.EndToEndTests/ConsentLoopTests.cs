using CityPairs.Domain.Partnerships;
using CityPairs.TestSupport;
using CityPairs.Web.Data.Seeding;
using CityPairs.Web.Features.Accounts;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CityPairs.EndToEndTests;

/// <summary>
/// From suggestion to agreement with four people: a facilitator proposes from Matches; each city's coordinator reads
/// the invitation in the development mailbox and follows its link (the second also opens it from the in-app inbox) and
/// answers on the partnership page; the officer agrees once both accepted. And a decline: the proposal closes, Matches
/// stops suggesting the pair and says why on the compare view. The cities and coordinators are this test's own.
/// </summary>
[Collection(BrowserTests.Name)]
public sealed class ConsentLoopTests(BrowserFixture browser)
{
    /// <summary>A coordinator account of this test's city (made before the proposal, so the invitation reaches it).</summary>
    private async Task<string> CoordinatorAsync(int cityId)
    {
        var email = $"coordinator-{Guid.NewGuid():N}"[..24] + "@test.local";
        await using (var db = browser.Database.CreateDbContext())
        {
            var user = new AppUser
            {
                Id = Guid.NewGuid().ToString(), UserName = email, NormalizedUserName = email.ToUpperInvariant(), Email = email,
                NormalizedEmail = email.ToUpperInvariant(), EmailConfirmed = true, DisplayName = email, SecurityStamp = Guid.NewGuid().ToString(),
            };
            user.PasswordHash = new PasswordHasher<AppUser>().HashPassword(user, DemoAccounts.Password);
            db.Users.Add(user);
            var role = await db.Roles.SingleAsync(r => r.Name == Roles.CityCoordinator);
            db.UserRoles.Add(new IdentityUserRole<string> { UserId = user.Id, RoleId = role.Id });
            db.CityAssignments.Add(new CityAssignment { UserId = user.Id, CityId = cityId });
            await db.SaveChangesAsync();
        }

        return email;
    }

    /// <summary>Signs this account in through the real form, in a browser context of its own, and opens the page.</summary>
    private async Task<IPage> SignedInAsync(string email, string path)
    {
        var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = browser.BaseAddress.ToString(), ViewportSize = new ViewportSize { Width = 1400, Height = 900 },
        });
        var page = await context.NewPageAsync();
        await page.GotoAsync("/Account/Login");
        await page.Locator("[data-testid=login-email]").FillAsync(email);
        await page.Locator("[data-testid=login-password]").FillAsync(DemoAccounts.Password);
        await page.Locator("[data-testid=login-submit]").ClickAsync();
        await page.Locator("[data-testid=signed-in-as]").WaitForAsync();
        await page.GotoAsync(path);
        await page.Locator("[data-testid=interactive]").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached });
        return page;
    }

    /// <summary>The facilitator proposes <paramref name="partner"/> for <paramref name="cityId"/> on Matches (filtered to the partner's country).</summary>
    private async Task<int> ProposeFromMatchesAsync(int cityId, int partnerId, string partner, string partnerCountry)
    {
        // The test's cities are written straight to the database, past the snapshot's refresh; asking for the partner
        // once brings it into the matching snapshot, as for a city saved by a script.
        var page = await browser.OpenAsync($"/matches?city={partnerId}", DemoUser.Facilitator);
        await Expect(page.Locator("[data-testid=match-card]").First).ToBeVisibleAsync();
        await page.GotoAsync($"/matches?city={cityId}");
        await page.Locator("[data-testid=interactive]").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached });
        await page.Locator("[data-testid=match-filters]").GetByText("Filters and weights").ClickAsync();
        await page.GetByLabel("Countries").FillAsync(partnerCountry);
        var card = page.Locator("[data-testid=match-card]").Filter(new() { HasText = partner });
        await Expect(card).ToHaveCountAsync(1);
        await card.Locator("[data-testid=match-propose]").ClickAsync();
        await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Propose partnership" }).ClickAsync();
        var href = await page.Locator("[data-testid=proposed-link]").GetAttributeAsync("href");
        await page.Context.CloseAsync();
        return int.Parse(href!.Split('/').Last(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Reads this person's invitation e-mail in the development mailbox (the app's own SMTP server received it from the
    /// outbox sender, so it may take a moment: the page is static, so it is reloaded) and follows its link.
    /// </summary>
    private static async Task FollowInvitationMailAsync(IPage page, string email, int partnershipId)
    {
        var message = page.Locator("[data-testid=mailbox-message]")
            .Filter(new() { Has = page.Locator("[data-testid=mailbox-to]", new() { HasText = email }) })
            .Filter(new() { Has = page.Locator("[data-testid=mailbox-subject]", new() { HasText = "is invited" }) });
        for (var attempt = 0; attempt < 60 && await message.CountAsync() == 0; attempt++)
        {
            await page.GotoAsync("/dev/mailbox");
            if (await message.CountAsync() == 0)
            {
                await page.WaitForTimeoutAsync(500);
            }
        }

        await Expect(message).ToHaveCountAsync(1);
        var link = message.Locator("[data-testid=mailbox-link]");
        await Expect(link).ToHaveAttributeAsync("href", new System.Text.RegularExpressions.Regex($"/partnerships/{partnershipId}$"));
        await link.ClickAsync();
        await page.WaitForURLAsync($"**/partnerships/{partnershipId}");
        await page.Locator("[data-testid=interactive]").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached });
    }

    /// <summary>Opens the invitation from the in-app inbox: the top bar counts it, the inbox lists it, a click opens the proposal.</summary>
    private static async Task FollowInboxItemAsync(IPage page, int partnershipId)
    {
        await Expect(page.Locator("[data-testid=unread-count]")).Not.ToHaveTextAsync("0");
        await page.Locator("[data-testid=inbox-link]").ClickAsync();
        var item = page.Locator("[data-testid=inbox-item][data-read=false]").First;
        await Expect(item).ToBeVisibleAsync();
        await item.Locator("[data-testid=inbox-open]").ClickAsync();
        await page.WaitForURLAsync($"**/partnerships/{partnershipId}");
        await page.Locator("[data-testid=interactive]").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached });
    }

    private static ILocator Row(IPage page, string city) => page.Locator($"[data-testid=invitation][data-city='{city}']");

    private async Task<string> NameAsync(int cityId)
    {
        await using var db = browser.Database.CreateDbContext();
        return await db.Cities.Where(c => c.Id == cityId).Select(c => c.Name).SingleAsync();
    }

    [Fact]
    public async Task A_facilitator_proposes_both_coordinators_accept_and_the_officer_agrees()
    {
        var first = await browser.Database.AddCityAsync("Loop A", "PT");
        var second = await browser.Database.AddCityAsync("Loop B", "NA");
        var (firstName, secondName) = (await NameAsync(first), await NameAsync(second));

        var (firstEmail, secondEmail) = (await CoordinatorAsync(first), await CoordinatorAsync(second));

        var id = await ProposeFromMatchesAsync(first, second, secondName, "NA");

        // The first coordinator reads the e-mail in the development mailbox and follows its link.
        var firstCoordinator = await SignedInAsync(firstEmail, "/");
        await FollowInvitationMailAsync(firstCoordinator, firstEmail, id);
        await Expect(Row(firstCoordinator, firstName).Locator("[data-testid=invitation-status]")).ToHaveTextAsync("Pending");
        // Nobody answers for another city: only their own row has the buttons.
        await Expect(Row(firstCoordinator, secondName).Locator("[data-testid=invitation-accept]")).ToHaveCountAsync(0);
        await firstCoordinator.Locator("[data-testid=ask-text]").FillAsync("Could the first visit be online?");
        await firstCoordinator.Locator("[data-testid=ask-send]").ClickAsync();
        await Expect(firstCoordinator.Locator("[data-testid=question]")).ToContainTextAsync("Could the first visit be online?");
        await Row(firstCoordinator, firstName).Locator("[data-testid=invitation-accept]").ClickAsync();
        await Expect(Row(firstCoordinator, firstName).Locator("[data-testid=invitation-status]")).ToHaveTextAsync("Accepted");

        var officer = await browser.OpenAsync($"/partnerships/{id}", DemoUser.Officer);
        await Expect(officer.Locator("[data-testid=waiting]")).ToContainTextAsync("Waiting for 1");
        await Expect(officer.Locator("[data-testid=agree]")).ToHaveCountAsync(0);

        // The second reads the e-mail too, then answers from the in-app inbox.
        var secondCoordinator = await SignedInAsync(secondEmail, "/");
        await FollowInvitationMailAsync(secondCoordinator, secondEmail, id);
        await secondCoordinator.GotoAsync("/");
        await secondCoordinator.Locator("[data-testid=interactive]").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached });
        await FollowInboxItemAsync(secondCoordinator, id);
        await Row(secondCoordinator, secondName).Locator("[data-testid=invitation-accept]").ClickAsync();
        await Expect(Row(secondCoordinator, secondName).Locator("[data-testid=invitation-status]")).ToHaveTextAsync("Accepted");
        await Expect(secondCoordinator.Locator("[data-testid=agree]")).ToHaveCountAsync(0); // a coordinator does not agree it

        await officer.ReloadAsync();
        await officer.Locator("[data-testid=interactive]").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached });
        await Expect(officer.Locator("[data-testid=ready-to-agree]")).ToBeVisibleAsync();
        await BrowserFixture.SaveScreenshotAsync(officer, "partnership-invitations");
        await officer.Locator("[data-testid=agree]").ClickAsync();
        await Expect(officer.Locator("[data-testid=status-chip]").First).ToHaveTextAsync("Agreed");

        await using var db = browser.Database.CreateDbContext();
        Assert.Equal(PartnershipStatus.Agreed, await db.Partnerships.Where(p => p.Id == id).Select(p => p.Status).SingleAsync());
        // Each coordinator was told in the app, with a link to the proposal.
        Assert.Equal(2, await db.Notifications.CountAsync(n => n.Kind == "invitation" && n.LinkPath == $"/partnerships/{id}"));
    }

    [Fact]
    public async Task A_decline_closes_the_proposal_and_matches_explains_why_the_pair_is_gone()
    {
        var first = await browser.Database.AddCityAsync("Decline A", "PT");
        var second = await browser.Database.AddCityAsync("Decline B", "BW");
        var secondName = await NameAsync(second);
        var email = await CoordinatorAsync(second);
        var id = await ProposeFromMatchesAsync(first, second, secondName, "BW");

        var coordinator = await SignedInAsync(email, $"/partnerships/{id}");
        await Row(coordinator, secondName).Locator("[data-testid=invitation-decline]").ClickAsync();
        await coordinator.Locator("[data-testid=decline-confirm]").ClickAsync();
        await Expect(coordinator.Locator("[data-testid=invitation-problem]")).ToContainTextAsync("a reason is required");
        await coordinator.Locator("[data-testid=decline-reason]").FillAsync("Our council is re-elected in spring; ask again later.");
        await coordinator.Locator("[data-testid=decline-confirm]").ClickAsync();
        await Expect(Row(coordinator, secondName).Locator("[data-testid=invitation-reason]")).ToHaveTextAsync("Our council is re-elected in spring; ask again later.");
        await Expect(coordinator.Locator("[data-testid=status-chip]").First).ToHaveTextAsync("Discontinued");

        var page = await browser.OpenAsync($"/matches?city={first}", DemoUser.Facilitator);
        await page.Locator("[data-testid=match-filters]").GetByText("Filters and weights").ClickAsync();
        await page.GetByLabel("Countries").FillAsync("BW");
        await Expect(page.Locator("[data-testid=matches-empty]")).ToBeVisibleAsync();
        var declined = page.Locator("[data-testid=declined-pair]").Filter(new() { HasText = secondName });
        await Expect(declined).ToContainTextAsync("re-elected in spring");
        await declined.Locator("[data-testid=declined-compare]").ClickAsync();
        await Expect(page.Locator("[data-testid=compare-declined]")).ToContainTextAsync("Our council is re-elected in spring");
        await BrowserFixture.SaveScreenshotAsync(page, "matches-declined");
    }
}
