using System.Net;
using CityPairs.TestSupport;
using CityPairs.Web.Data.Seeding;
using CityPairs.Web.Features.Accounts;
using CityPairs.Web.Features.Notifications;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CityPairs.IntegrationTests.Notifications;

/// <summary>Everyone reads and marks only their own notifications, through the service and through GET /inbox/{id}.</summary>
public sealed class InboxTests(PostgresDatabase database) : DatabaseTest(database)
{
    private async Task<long> AddNotificationAsync(string userId, string title, string link = "/partnerships/5", DateTimeOffset? at = null)
    {
        await using var db = Database.CreateDbContext();
        var notification = new Notification
        {
            UserId = userId, Kind = "test", Title = title, Text = $"{title} text", LinkPath = link, CreatedAt = at ?? DateTimeOffset.UtcNow,
        };
        db.Notifications.Add(notification);
        await db.SaveChangesAsync();
        return notification.Id;
    }

    private async Task<DateTimeOffset?> ReadAtAsync(long id)
    {
        await using var db = Database.CreateDbContext();
        return await db.Notifications.Where(n => n.Id == id).Select(n => n.ReadAt).SingleAsync();
    }

    private InboxService InboxOf(System.Security.Claims.ClaimsPrincipal user) => new(Database.Factory, TestUsers.As(user), TimeProvider.System);

    [Fact]
    public async Task The_inbox_lists_only_the_readers_own_notifications_newest_first_in_pages()
    {
        var me = await Database.AddUserAsync(Roles.CityCoordinator);
        var other = await Database.AddUserAsync(Roles.Facilitator);
        var start = DateTimeOffset.UtcNow.AddHours(-1);
        for (var i = 0; i < 25; i++)
        {
            await AddNotificationAsync(me.UserId()!, $"Mine {i}", at: start.AddMinutes(i));
        }

        await AddNotificationAsync(other.UserId()!, "Theirs");
        var inbox = InboxOf(me);

        var first = await inbox.ListAsync(1, 20);
        var second = await inbox.ListAsync(2, 20);

        Assert.Equal(25, first.TotalCount);
        Assert.Equal("Mine 24", first.Items[0].Title);
        Assert.Equal(20, first.Items.Count);
        Assert.Equal(["Mine 4", "Mine 3", "Mine 2", "Mine 1", "Mine 0"], second.Items.Select(i => i.Title));
        Assert.Equal(25, await inbox.UnreadCountAsync());
    }

    [Fact]
    public async Task Opening_marks_read_and_gives_the_link_but_another_persons_notification_is_not_found_and_stays_unread()
    {
        var me = await Database.AddUserAsync(Roles.CityCoordinator);
        var other = await Database.AddUserAsync(Roles.Facilitator);
        var mine = await AddNotificationAsync(me.UserId()!, "Mine", "/partnerships/9");
        var theirs = await AddNotificationAsync(other.UserId()!, "Theirs");
        var inbox = InboxOf(me);

        Assert.Equal("/partnerships/9", await inbox.OpenAsync(mine));
        Assert.Null(await inbox.OpenAsync(theirs));

        Assert.NotNull(await ReadAtAsync(mine));
        Assert.Null(await ReadAtAsync(theirs));
        Assert.Equal(0, await inbox.UnreadCountAsync());
    }

    [Fact]
    public async Task Mark_all_read_touches_only_the_readers_own_notifications()
    {
        var me = await Database.AddUserAsync(Roles.CityCoordinator);
        var other = await Database.AddUserAsync(Roles.Facilitator);
        await AddNotificationAsync(me.UserId()!, "One");
        await AddNotificationAsync(me.UserId()!, "Two");
        var theirs = await AddNotificationAsync(other.UserId()!, "Theirs");

        Assert.Equal(2, await InboxOf(me).MarkAllReadAsync());

        Assert.Equal(0, await InboxOf(me).UnreadCountAsync());
        Assert.Null(await ReadAtAsync(theirs));
        Assert.Equal(1, await InboxOf(other).UnreadCountAsync());
    }

    [Fact]
    public async Task Over_http_a_notification_opens_for_its_owner_only_and_never_for_anonymous_visitors()
    {
        await using var app = new CityPairsApp(Database.ConnectionString);
        // Starting the app loads the demo accounts.
        _ = app.Services;
        string officerId, facilitatorId;
        await using (var db = Database.CreateDbContext())
        {
            officerId = await db.Users.Where(u => u.Email == DemoAccounts.Officer).Select(u => u.Id).SingleAsync();
            facilitatorId = await db.Users.Where(u => u.Email == DemoAccounts.Facilitator).Select(u => u.Id).SingleAsync();
        }

        var mine = await AddNotificationAsync(officerId, "Mine", "/partnerships/9");
        var theirs = await AddNotificationAsync(facilitatorId, "Theirs");
        // A link path that points off-site must never become an open redirect.
        var offsite = await AddNotificationAsync(officerId, "Off-site", "//evil.test/phish");

        using (var anonymous = app.CreateClient())
        {
            using var response = await anonymous.GetAsync(new Uri($"/inbox/{mine}", UriKind.Relative));
            Assert.Equal("/Account/Login", response.RequestMessage!.RequestUri!.AbsolutePath);
        }

        Assert.Null(await ReadAtAsync(mine));
        using var client = app.CreateClient();
        await client.SignInAsync(DemoUser.Officer);

        // The client follows redirects: where each request ended is where the person would land.
        using var own = await client.GetAsync(new Uri($"/inbox/{mine}", UriKind.Relative));
        using var foreign = await client.GetAsync(new Uri($"/inbox/{theirs}", UriKind.Relative));
        using var away = await client.GetAsync(new Uri($"/inbox/{offsite}", UriKind.Relative));

        Assert.Equal("/partnerships/9", own.RequestMessage!.RequestUri!.AbsolutePath);
        Assert.NotNull(await ReadAtAsync(mine));
        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
        Assert.Equal($"/inbox/{theirs}", foreign.RequestMessage!.RequestUri!.AbsolutePath);
        Assert.Null(await ReadAtAsync(theirs));
        Assert.Equal(client.BaseAddress!.Host, away.RequestMessage!.RequestUri!.Host);
        Assert.Equal("/", away.RequestMessage.RequestUri.AbsolutePath);
    }

    [Fact]
    public async Task The_inbox_page_and_the_settings_page_need_a_signed_in_person()
    {
        await using var app = new CityPairsApp(Database.ConnectionString);
        using var anonymous = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        foreach (var path in new[] { "/inbox", "/account/notifications", DevelopmentMailbox.Path })
        {
            using var response = await anonymous.GetAsync(new Uri(path, UriKind.Relative));
            Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"{path} answered {response.StatusCode}");
            Assert.StartsWith("/Account/Login", response.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task The_inbox_page_says_when_there_is_nothing_and_lists_what_there_is()
    {
        await using var app = new CityPairsApp(Database.ConnectionString);
        using var client = app.CreateClient();
        await client.SignInAsync(DemoUser.Facilitator);
        // The demo proposals' answers told their proposer, the demo facilitator: start from an empty inbox.
        await using (var db = Database.CreateDbContext())
        {
            await db.Notifications.Where(n => db.Users.Any(u => u.Id == n.UserId && u.Email == DemoAccounts.Facilitator)).ExecuteDeleteAsync();
        }

        var empty = await client.GetStringAsync(new Uri("/inbox", UriKind.Relative));
        Assert.Contains("data-testid=\"inbox-empty\"", empty, StringComparison.Ordinal);

        await using (var db = Database.CreateDbContext())
        {
            var facilitatorId = await db.Users.Where(u => u.Email == DemoAccounts.Facilitator).Select(u => u.Id).SingleAsync();
            await AddNotificationAsync(facilitatorId, "Something happened");
        }

        var listed = await client.GetStringAsync(new Uri("/inbox", UriKind.Relative));
        Assert.DoesNotContain("data-testid=\"inbox-empty\"", listed, StringComparison.Ordinal);
        Assert.Contains("Something happened", listed, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Choosing_the_digest_starts_it_from_now_and_an_unknown_choice_is_refused()
    {
        var me = await Database.AddUserAsync(Roles.CityCoordinator);
        var inbox = InboxOf(me);

        Assert.True(await inbox.SetEmailPreferenceAsync(EmailPreference.DailyDigest));
        Assert.False(await inbox.SetEmailPreferenceAsync((EmailPreference)42));

        Assert.Equal(EmailPreference.DailyDigest, await inbox.EmailPreferenceAsync());
        await using var db = Database.CreateDbContext();
        Assert.NotNull((await db.Users.SingleAsync(u => u.Id == me.UserId())).LastDigestAt);
    }
}
