using CityPairs.TestSupport;
using CityPairs.Web.Data;
using CityPairs.Web.Features.Notifications;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using static CityPairs.IntegrationTests.Notifications.MailTestSupport;

namespace CityPairs.IntegrationTests.Notifications;

/// <summary>
/// The outbox against a real SMTP server started in the test (the SmtpServer package): what is committed arrives, once,
/// with its link, across a mail server outage, an app restart and two instances; what is rolled back never leaves.
/// </summary>
public sealed class OutboxDeliveryTests(PostgresDatabase database) : DatabaseTest(database)
{
    [Fact]
    public async Task A_committed_notification_arrives_by_smtp_with_its_link()
    {
        await using var mail = new MailCatcher(0);
        await mail.StartAsync();
        await using var app = AppDeliveringTo(Database, mail.Port);

        var id = await app.NotifyAsync("contact@city.test", "You are invited", "/partnerships/12");

        // The app's demo data mails too (the demo proposals' invitations): this test reads its own message.
        await EventuallyAsync(() => mail.Messages.Any(m => m.Subject == "You are invited"), "the e-mail at the SMTP server");
        var received = Assert.Single(mail.Messages, m => m.Subject == "You are invited");
        Assert.Equal(["contact@city.test"], received.To);
        Assert.Equal("You are invited", received.Subject);
        Assert.Contains("About You are invited.", received.TextBody, StringComparison.Ordinal);
        Assert.Contains($"{PublicBaseUrl}/partnerships/12", received.TextBody, StringComparison.Ordinal);
        await EventuallyAsync(async () => (await Database.RowAsync(id)).SentAt is not null, "SentAt recorded");
        Assert.Null((await Database.RowAsync(id)).LastError);
    }

    [Fact]
    public async Task A_rolled_back_change_sends_nothing()
    {
        await using var mail = new MailCatcher(0);
        await mail.StartAsync();
        await using var app = AppDeliveringTo(Database, mail.Port);
        var notifier = app.Services.GetRequiredService<Notifier>();
        await using (var db = Database.CreateDbContext())
        {
            await db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
            {
                await using var transaction = await db.Database.BeginTransactionAsync();
                notifier.Notify(db, [new Recipient(null, "rolled@city.test", null)], new Notice("test", "Never sent", "No.", "/cities/1"));
                await db.SaveChangesAsync();
                await transaction.RollbackAsync();
            });
        }

        // A later committed message arriving shows the sender has looked at the outbox since the rollback.
        await app.NotifyAsync("later@city.test", "Sent afterwards", "/cities/2");
        await EventuallyAsync(() => mail.Messages.Any(m => m.Subject == "Sent afterwards"), "the later e-mail");

        Assert.DoesNotContain(mail.Messages, m => m.Subject == "Never sent");
        await using var check = Database.CreateDbContext();
        Assert.False(await check.OutboxMessages.AnyAsync(m => m.Subject == "Never sent"));
    }

    [Fact]
    public async Task A_mail_server_that_is_down_gets_the_message_once_when_it_is_back()
    {
        await using var mail = new MailCatcher(0);
        await using var app = AppDeliveringTo(Database, mail.Port);

        var id = await app.NotifyAsync("contact@city.test", "Waiting for the server", "/partnerships/3");
        await EventuallyAsync(async () => (await Database.RowAsync(id)).Attempts >= 2, "two failed attempts while the server is down");
        var failed = await Database.RowAsync(id);
        Assert.Null(failed.SentAt);
        Assert.NotNull(failed.LastError);
        Assert.Null(failed.FailedAt);

        await mail.StartAsync();
        await EventuallyAsync(async () => (await Database.RowAsync(id)).SentAt is not null, "delivery after the server came back");
        await app.NotifyAsync("contact@city.test", "A second message", "/partnerships/4");
        await EventuallyAsync(() => mail.Messages.Any(m => m.Subject == "A second message"), "the second message");

        Assert.Single(mail.Messages, m => m.Subject == "Waiting for the server");
        Assert.Null((await Database.RowAsync(id)).LastError);
    }

    [Fact]
    public async Task A_message_left_by_a_stopped_instance_is_delivered_once_by_the_next()
    {
        await using var mail = new MailCatcher(0);
        long id;
        // The first instance commits the message but cannot deliver it (its mail server is not up) and stops.
        await using (var first = AppDeliveringTo(Database, mail.Port))
        {
            id = await first.NotifyAsync("contact@city.test", "Survives a restart", "/partnerships/5");
        }

        Assert.Null((await Database.RowAsync(id)).SentAt);

        await mail.StartAsync();
        await using var second = AppDeliveringTo(Database, mail.Port);
        await EventuallyAsync(async () => (await Database.RowAsync(id)).SentAt is not null, "delivery by the new instance");

        var received = Assert.Single(mail.Messages, m => m.Subject == "Survives a restart");
        Assert.Contains($"{PublicBaseUrl}/partnerships/5", received.TextBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_message_claimed_by_an_instance_that_dies_mid_send_is_delivered_by_another()
    {
        await using var mail = new MailCatcher(0);
        await mail.StartAsync();
        long id;
        await using (var db = Database.CreateDbContext())
        {
            Outbox.Enqueue(db, new OutgoingMail("contact@city.test", null, "Claimed then abandoned", "Body", "test"), DateTimeOffset.UtcNow);
            await db.SaveChangesAsync();
            id = await db.OutboxMessages.Where(m => m.Subject == "Claimed then abandoned").Select(m => m.Id).SingleAsync();
        }

        // Another "instance" holds the row as the sender does while it talks to the mail server (taken before the
        // app under test starts, so its sender never had a chance at it) ...
        await using var claim = new NpgsqlConnection(Database.ConnectionString);
        await claim.OpenAsync();
        await using var transaction = await claim.BeginTransactionAsync();
        await using (var lockRow = new NpgsqlCommand("SELECT id FROM outbox_messages WHERE id = @id FOR UPDATE", claim, transaction))
        {
            lockRow.Parameters.AddWithValue("id", id);
            await lockRow.ExecuteNonQueryAsync();
        }

        await using var app = AppDeliveringTo(Database, mail.Port);
        await app.NotifyAsync("other@city.test", "Sent meanwhile", "/cities/1");
        await EventuallyAsync(() => mail.Messages.Any(m => m.Subject == "Sent meanwhile"), "the unlocked message, past the locked one");
        Assert.DoesNotContain(mail.Messages, m => m.Subject == "Claimed then abandoned");

        // ... and dies before committing: its transaction ends, the row is free again.
        await transaction.RollbackAsync();
        await EventuallyAsync(() => mail.Messages.Any(m => m.Subject == "Claimed then abandoned"), "the abandoned message");
        await EventuallyAsync(async () => (await Database.RowAsync(id)).SentAt is not null, "SentAt recorded");
        Assert.Single(mail.Messages, m => m.Subject == "Claimed then abandoned");
    }

    [Fact]
    public async Task Two_instances_deliver_every_message_exactly_once()
    {
        await using var mail = new MailCatcher(0, capacity: 1000);
        await mail.StartAsync();
        var small = new Dictionary<string, string> { ["Mail:BatchSize"] = "3" };
        await using var first = AppDeliveringTo(Database, mail.Port, small);
        await using var second = AppDeliveringTo(Database, mail.Port, small);
        // A third sender loop on the same database, to make the race for rows tighter still.
        using var extra = ActivatorUtilities.CreateInstance<OutboxSender>(second.Services);
        await extra.StartAsync(CancellationToken.None);
        const int count = 60;
        await using (var db = Database.CreateDbContext())
        {
            for (var i = 0; i < count; i++)
            {
                Outbox.Enqueue(db, new OutgoingMail($"person{i}@city.test", null, $"Message {i}", $"Body {i}", "test"), DateTimeOffset.UtcNow);
            }

            await db.SaveChangesAsync();
        }

        try
        {
            await using var check = Database.CreateDbContext();
            await EventuallyAsync(async () => !await check.OutboxMessages.AnyAsync(m => m.SentAt == null), "every message sent", seconds: 60);
        }
        finally
        {
            await extra.StopAsync(CancellationToken.None);
        }

        // SentAt is committed only after the server accepted the message, so by now every delivery has arrived. (The
        // apps' demo data has mail of its own, the demo proposals' invitations: only this test's messages are counted.)
        var subjects = mail.Messages.Select(m => m.Subject).Where(s => s.StartsWith("Message ", StringComparison.Ordinal)).ToList();
        Assert.Equal(count, subjects.Count);
        Assert.Equal(count, subjects.Distinct().Count());
    }

    [Fact]
    public async Task An_address_the_server_refuses_is_marked_failed_and_not_retried()
    {
        await using var mail = new MailCatcher(0);
        await mail.StartAsync();
        await using var app = AppDeliveringTo(Database, mail.Port);
        long id;
        await using (var db = Database.CreateDbContext())
        {
            id = Outbox.Enqueue(db, new OutgoingMail("not an address", null, "Broken", "Body", "test"), DateTimeOffset.UtcNow).Id;
            await db.SaveChangesAsync();
            id = await db.OutboxMessages.Where(m => m.Subject == "Broken").Select(m => m.Id).SingleAsync();
        }

        await EventuallyAsync(async () => (await Database.RowAsync(id)).FailedAt is not null, "the message marked failed");
        var row = await Database.RowAsync(id);
        Assert.Null(row.SentAt);
        Assert.Equal(1, row.Attempts);
        Assert.NotNull(row.LastError);
    }

    [Fact]
    public void Waits_between_attempts_double_up_to_the_cap()
    {
        var settings = new MailOptions { RetryDelay = TimeSpan.FromSeconds(30), MaxRetryDelay = TimeSpan.FromMinutes(5) };

        Assert.Equal(
            [TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(120), TimeSpan.FromSeconds(240), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(5)],
            Enumerable.Range(1, 6).Select(a => OutboxSender.Backoff(a, settings)));
    }
}
