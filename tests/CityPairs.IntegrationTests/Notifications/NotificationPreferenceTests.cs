using CityPairs.TestSupport;
using CityPairs.Web;
using CityPairs.Web.Data;
using CityPairs.Web.Features.Accounts;
using CityPairs.Web.Features.Notifications;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CityPairs.IntegrationTests.Notifications;

/// <summary>Each account's choice (immediately, daily digest, off) decides its e-mail; contacts without an account always get it.</summary>
public sealed class NotificationPreferenceTests(PostgresDatabase database) : DatabaseTest(database)
{
    private static readonly Notifier Notifier = new(Options.Create(new PublicLinkOptions { PublicBaseUrl = "https://citypairs.test" }), TimeProvider.System);

    private async Task<(string Id, string Email)> UserAsync(EmailPreference preference, DateTimeOffset? lastDigestAt = null)
    {
        var principal = await Database.AddUserAsync(Roles.CityCoordinator);
        var id = principal.UserId()!;
        await using var db = Database.CreateDbContext();
        var user = await db.Users.SingleAsync(u => u.Id == id);
        user.EmailPreference = preference;
        user.LastDigestAt = lastDigestAt;
        await db.SaveChangesAsync();
        return (id, user.Email!);
    }

    private async Task NotifyAsync(IEnumerable<Recipient> recipients, string title, string link = "/partnerships/7")
    {
        await using var db = Database.CreateDbContext();
        Notifier.Notify(db, recipients, new Notice("invitation", title, $"Text of {title}.", link));
        await db.SaveChangesAsync();
    }

    [Fact]
    public async Task Only_immediate_readers_and_contacts_without_an_account_get_an_email_now_while_everyone_gets_the_inbox_item()
    {
        var immediate = await UserAsync(EmailPreference.Immediately);
        var digest = await UserAsync(EmailPreference.DailyDigest);
        var off = await UserAsync(EmailPreference.Off);

        await NotifyAsync(
        [
            new Recipient(immediate.Id, immediate.Email, null),
            new Recipient(digest.Id, digest.Email, null),
            new Recipient(off.Id, off.Email, null),
            new Recipient(null, "contact@city.test", "A Contact"),
            // The "off" account listed again as its city's contact (same address, other case): still no e-mail.
            new Recipient(null, off.Email.ToUpperInvariant(), "Also a contact"),
        ], "Invited");

        await using var db = Database.CreateDbContext();
        var mailed = (await db.OutboxMessages.Select(m => m.ToAddress).ToListAsync()).Order(StringComparer.Ordinal);
        Assert.Equal(new[] { "contact@city.test", immediate.Email }.Order(StringComparer.Ordinal), mailed);
        var inbox = await db.Notifications.Select(n => n.UserId).ToListAsync();
        Assert.Equal(new[] { immediate.Id, digest.Id, off.Id }.Order(), inbox.Order());
    }

    [Fact]
    public async Task A_contact_whose_address_has_an_account_is_told_as_that_account()
    {
        var off = await UserAsync(EmailPreference.Off);

        await NotifyAsync([new Recipient(null, off.Email, "City contact")], "Contact only");

        await using var db = Database.CreateDbContext();
        Assert.False(await db.OutboxMessages.AnyAsync());
        Assert.Equal(off.Id, (await db.Notifications.SingleAsync()).UserId);
    }

    private NotificationDigest Digest(TimeSpan digestTimeUtc) => new(
        Database.Factory, Notifier, Options.Create(new DigestOptions { DigestTimeUtc = digestTimeUtc }), new OutboxWakeUp(),
        new StringLocalizer<SharedResource>(new ResourceManagerStringLocalizerFactory(
            Options.Create(new LocalizationOptions { ResourcesPath = "Resources" }), NullLoggerFactory.Instance)),
        TimeProvider.System, NullLogger<NotificationDigest>.Instance);

    [Fact]
    public async Task A_digest_reader_gets_one_email_a_day_listing_what_is_still_unread_with_links()
    {
        var digest = await UserAsync(EmailPreference.DailyDigest);
        var immediate = await UserAsync(EmailPreference.Immediately);
        await NotifyAsync([new Recipient(digest.Id, digest.Email, null), new Recipient(immediate.Id, immediate.Email, null)], "First news", "/partnerships/1");
        await NotifyAsync([new Recipient(digest.Id, digest.Email, null)], "Second news", "/partnerships/2");
        await NotifyAsync([new Recipient(digest.Id, digest.Email, null)], "Already read", "/partnerships/3");
        await using (var db = Database.CreateDbContext())
        {
            await db.Notifications.Where(n => n.Title == "Already read").ExecuteUpdateAsync(s => s.SetProperty(n => n.ReadAt, DateTimeOffset.UtcNow));
        }

        // Midnight UTC has always passed, so today's digest is due.
        var job = Digest(TimeSpan.Zero);
        var written = await job.WriteDueDigestsAsync(CancellationToken.None);
        var again = await job.WriteDueDigestsAsync(CancellationToken.None);

        Assert.Equal(1, written);
        Assert.Equal(0, again);
        await using var check = Database.CreateDbContext();
        var mail = await check.OutboxMessages.SingleAsync(m => m.Kind == NotificationDigest.Kind);
        Assert.Equal(digest.Email, mail.ToAddress);
        Assert.Contains("First news", mail.TextBody, StringComparison.Ordinal);
        Assert.Contains("https://citypairs.test/partnerships/1", mail.TextBody, StringComparison.Ordinal);
        Assert.Contains("https://citypairs.test/partnerships/2", mail.TextBody, StringComparison.Ordinal);
        Assert.DoesNotContain("Already read", mail.TextBody, StringComparison.Ordinal);
        // The immediate reader had their e-mail at once and gets no digest.
        Assert.Equal(1, await check.OutboxMessages.CountAsync(m => m.ToAddress == immediate.Email));
    }

    [Fact]
    public async Task Two_digest_jobs_at_once_write_one_digest()
    {
        var digest = await UserAsync(EmailPreference.DailyDigest);
        await NotifyAsync([new Recipient(digest.Id, digest.Email, null)], "News", "/partnerships/1");

        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Digest(TimeSpan.Zero).WriteDueDigestsAsync(CancellationToken.None)));

        Assert.Equal(1, results.Sum());
        await using var check = Database.CreateDbContext();
        Assert.Equal(1, await check.OutboxMessages.CountAsync(m => m.Kind == NotificationDigest.Kind));
    }

    [Fact]
    public async Task Off_and_nothing_unread_write_no_digest()
    {
        var off = await UserAsync(EmailPreference.Off);
        var quiet = await UserAsync(EmailPreference.DailyDigest);
        await NotifyAsync([new Recipient(off.Id, off.Email, null)], "News", "/partnerships/1");

        var written = await Digest(TimeSpan.Zero).WriteDueDigestsAsync(CancellationToken.None);

        Assert.Equal(0, written);
        await using var check = Database.CreateDbContext();
        Assert.False(await check.OutboxMessages.AnyAsync());
        // The quiet reader's day was looked at: tomorrow's digest starts from now.
        Assert.NotNull((await check.Users.SingleAsync(u => u.Id == quiet.Id)).LastDigestAt);
    }
}
