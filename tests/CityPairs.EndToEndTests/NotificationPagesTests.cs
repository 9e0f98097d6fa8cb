using CityPairs.TestSupport;
using CityPairs.Web.Data.Seeding;
using CityPairs.Web.Features.Notifications;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CityPairs.EndToEndTests;

/// <summary>The inbox, the unread badge, the development mailbox and the e-mail preference, as a person uses them.</summary>
[Collection(BrowserTests.Name)]
public sealed class NotificationPagesTests(BrowserFixture browser)
{
    /// <summary>Tells the demo coordinator something, through the app's own Notifier (inbox item and outbox e-mail).</summary>
    private async Task<(string Title, string LinkPath)> NotifyCoordinatorAsync()
    {
        var title = $"Invitation {Guid.NewGuid():N}"[..22];
        await using var db = browser.Database.CreateDbContext();
        var coordinator = await db.Users.SingleAsync(u => u.Email == DemoAccounts.Coordinator);
        var tarija = await db.Cities.Where(c => c.Name == "Tarija").Select(c => c.Id).SingleAsync();
        // The same public address as the app's (appsettings.Development.json): the mailbox turns it into a local link.
        var notifier = new Notifier(Options.Create(new PublicLinkOptions { PublicBaseUrl = "http://localhost:5080" }), TimeProvider.System);
        notifier.Notify(db, [new Recipient(coordinator.Id, coordinator.Email!, coordinator.DisplayName)],
            new Notice("test", title, "Brasschaat invites Tarija to a partnership.", $"/cities/{tarija}"));
        await db.SaveChangesAsync();
        return (title, $"/cities/{tarija}");
    }

    [Fact]
    public async Task A_new_notification_shows_in_the_badge_and_the_inbox_and_opening_it_marks_it_read()
    {
        // Start from nothing unread, whatever earlier tests left for the coordinator.
        var page = await browser.OpenAsync("/inbox", DemoUser.Coordinator);
        var markAll = page.Locator("[data-testid=inbox-mark-all]");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Inbox", Level = 1 })).ToBeVisibleAsync();
        if (await markAll.IsEnabledAsync())
        {
            await markAll.ClickAsync();
        }

        await Expect(page.Locator("[data-testid=unread-count]")).ToHaveCountAsync(0);
        var (title, linkPath) = await NotifyCoordinatorAsync();

        // The badge refreshes when the person moves to another page.
        await page.GetByRole(AriaRole.Link, new() { Name = "Partnerships" }).ClickAsync();
        await Expect(page.Locator("[data-testid=unread-count]")).ToHaveTextAsync("1");

        await page.Locator("[data-testid=inbox-link]").ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Inbox", Level = 1 })).ToBeVisibleAsync();
        var item = page.Locator("[data-testid=inbox-item]", new() { HasText = title });
        await Expect(item).ToHaveAttributeAsync("data-read", "false");
        await Expect(item).ToContainTextAsync("Unread:");
        await BrowserFixture.SaveScreenshotAsync(page, "inbox");

        // Keyboard: focus the item's link and press Enter.
        await item.Locator("[data-testid=inbox-open]").FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForURLAsync($"**{linkPath}");
        await page.Locator("[data-testid=interactive]").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached });
        await Expect(page.Locator("[data-testid=unread-count]")).ToHaveCountAsync(0);

        await page.GotoAsync("/inbox");
        await Expect(page.Locator("[data-testid=inbox-item]", new() { HasText = title })).ToHaveAttributeAsync("data-read", "true");
    }

    [Fact]
    public async Task Mark_all_read_clears_the_badge()
    {
        await NotifyCoordinatorAsync();
        var page = await browser.OpenAsync("/inbox", DemoUser.Coordinator);
        await Expect(page.Locator("[data-testid=unread-count]")).ToHaveCountAsync(1);

        await page.Locator("[data-testid=inbox-mark-all]").ClickAsync();

        await Expect(page.Locator("[data-testid=unread-count]")).ToHaveCountAsync(0);
        await Expect(page.Locator("[data-testid=inbox-item][data-read=false]")).ToHaveCountAsync(0);
        await Expect(page.Locator("[data-testid=inbox-mark-all]")).ToBeDisabledAsync();
    }

    [Fact]
    public async Task The_development_mailbox_shows_the_sent_email_and_its_link_opens_the_page()
    {
        var (title, linkPath) = await NotifyCoordinatorAsync();
        var page = await browser.OpenAsync("/", DemoUser.Facilitator);

        // The sender delivers within its poll interval; the mailbox is a plain page, so look again until it is there.
        var message = page.Locator("[data-testid=mailbox-message]", new() { Has = page.GetByRole(AriaRole.Heading, new() { Name = title }) });
        for (var attempt = 0; attempt < 60 && await message.CountAsync() == 0; attempt++)
        {
            await page.GotoAsync(DevelopmentMailbox.Path);
            if (await message.CountAsync() == 0)
            {
                await Task.Delay(500);
            }
        }

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Development mailbox", Level = 1 })).ToBeVisibleAsync();
        await Expect(message.Locator("[data-testid=mailbox-to]")).ToHaveTextAsync(DemoAccounts.Coordinator);
        await Expect(message.Locator("[data-testid=mailbox-body]")).ToContainTextAsync("Brasschaat invites Tarija");
        await BrowserFixture.SaveScreenshotAsync(page, "dev-mailbox");

        await message.Locator("[data-testid=mailbox-link]").ClickAsync();
        await page.WaitForURLAsync($"**{linkPath}");
        Assert.Equal(browser.BaseAddress.Authority, new Uri(page.Url).Authority);
    }

    [Fact]
    public async Task The_email_preference_is_kept()
    {
        var page = await browser.OpenAsync("/inbox", DemoUser.Officer);
        await page.Locator("[data-testid=inbox-settings]").ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Notification settings", Level = 1 })).ToBeVisibleAsync();
        await page.Locator("[data-testid=interactive]").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached });

        await page.GetByRole(AriaRole.Radio, new() { Name = "Once a day, a digest of what is still unread" }).CheckAsync();
        await page.Locator("[data-testid=email-preference-save]").ClickAsync();
        await Expect(page.Locator("[data-testid=email-preference-saved]")).ToHaveTextAsync("Saved.");
        await BrowserFixture.SaveScreenshotAsync(page, "notification-settings");

        await page.ReloadAsync();
        await page.Locator("[data-testid=interactive]").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached });
        await Expect(page.GetByRole(AriaRole.Radio, new() { Name = "Once a day, a digest of what is still unread" })).ToBeCheckedAsync();

        // Back to the default, so other tests that mail the officer are not affected.
        await page.GetByRole(AriaRole.Radio, new() { Name = "Immediately, one e-mail each" }).CheckAsync();
        await page.Locator("[data-testid=email-preference-save]").ClickAsync();
        await Expect(page.Locator("[data-testid=email-preference-saved]")).ToHaveTextAsync("Saved.");
    }
}
