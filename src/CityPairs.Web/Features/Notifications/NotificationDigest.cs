using System.Text;
using CityPairs.Web.Data;
using CityPairs.Web.Features.Accounts;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using Npgsql;

namespace CityPairs.Web.Features.Notifications;

/// <summary>
/// The daily digest for people who chose it: after <see cref="DigestOptions.DigestTimeUtc"/> each of them gets one
/// outbox e-mail listing their notifications since their last digest that are still unread (nothing unread, no mail).
/// Each person's row is claimed with <c>FOR UPDATE SKIP LOCKED</c> and stamped in the same transaction as the e-mail,
/// so with several app instances a digest is written once.
/// </summary>
public sealed partial class NotificationDigest(
    IDbContextFactory<CityPairsDbContext> factory, Notifier notifier, IOptions<DigestOptions> options, OutboxWakeUp wakeUp,
    IStringLocalizer<SharedResource> l, TimeProvider clock, ILogger<NotificationDigest> logger) : BackgroundService
{
    public const string Kind = "digest";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var trouble = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await WriteDueDigestsAsync(stoppingToken);
                trouble = false;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            // EF's RetryLimitExceededException is a plain Exception: without DatabaseOutage.Is an outage longer than
            // the retries escaped this loop, and a failed background service stops the whole app.
            catch (Exception ex) when (Common.DatabaseOutage.Is(ex) || ex is NpgsqlException or DbUpdateException or InvalidOperationException or TimeoutException)
            {
                if (!trouble)
                {
                    LogUnavailable(ex);
                }

                trouble = true;
            }

            try
            {
                await Task.Delay(options.Value.DigestCheckInterval, clock, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>The latest digest time that has passed: today's if it is past, otherwise yesterday's.</summary>
    public DateTimeOffset LastDigestTime(DateTimeOffset now)
    {
        var today = new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero) + options.Value.DigestTimeUtc;
        return now >= today ? today : today.AddDays(-1);
    }

    /// <summary>Writes the digests that are due now; returns how many e-mails it queued.</summary>
    public async Task<int> WriteDueDigestsAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var cutoff = LastDigestTime(now);
        List<string> due;
        await using (var db = await factory.CreateDbContextAsync(cancellationToken))
        {
            due = await db.Users.AsNoTracking()
                .Where(u => u.EmailPreference == EmailPreference.DailyDigest && (u.LastDigestAt == null || u.LastDigestAt < cutoff))
                .Select(u => u.Id)
                .ToListAsync(cancellationToken);
        }

        var written = 0;
        foreach (var userId in due)
        {
            if (await WriteDigestAsync(userId, now, cutoff, cancellationToken))
            {
                written++;
            }
        }

        if (written > 0)
        {
            wakeUp.Wake();
        }

        return written;
    }

    private async Task<bool> WriteDigestAsync(string userId, DateTimeOffset now, DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var strategy = db.Database.CreateExecutionStrategy();
        return await strategy.ExecuteAsync(async () =>
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var claimed = await db.Users.FromSql($"SELECT * FROM users WHERE id = {userId} FOR UPDATE SKIP LOCKED").ToListAsync(cancellationToken);
            // Another instance holds the row, or wrote this digest (or the person changed their mind) since the list was read.
            if (claimed is not [{ EmailPreference: EmailPreference.DailyDigest } user] || user.LastDigestAt >= cutoff)
            {
                return false;
            }

            var since = user.LastDigestAt ?? now.AddDays(-1);
            var unread = await db.Notifications.AsNoTracking()
                .Where(n => n.UserId == userId && n.ReadAt == null && n.CreatedAt > since && n.CreatedAt <= now)
                .OrderBy(n => n.CreatedAt)
                .ToListAsync(cancellationToken);
            user.LastDigestAt = now;
            var mailed = unread.Count > 0 && !string.IsNullOrWhiteSpace(user.Email);
            if (mailed)
            {
                Outbox.Enqueue(db, new OutgoingMail(user.Email!, string.IsNullOrWhiteSpace(user.DisplayName) ? null : user.DisplayName,
                    l["Digest.Subject", unread.Count], Body(unread), Kind), now);
            }

            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return mailed;
        });
    }

    private string Body(List<Notification> unread)
    {
        var body = new StringBuilder();
        body.Append(l["Digest.Intro", unread.Count]).Append("\n\n");
        foreach (var notification in unread)
        {
            body.Append("- ").Append(notification.Title).Append('\n')
                .Append("  ").Append(notification.Text).Append('\n')
                .Append("  ").Append(notifier.LinkTo(notification.LinkPath)).Append("\n\n");
        }

        body.Append(l["Digest.Footer", notifier.LinkTo("/inbox"), notifier.LinkTo(NotificationSettingsPath)]).Append('\n');
        return body.ToString();
    }

    public const string NotificationSettingsPath = "/account/notifications";

    [LoggerMessage(Level = LogLevel.Warning, Message = "Daily digests cannot be written now; they will be once the database answers")]
    private partial void LogUnavailable(Exception exception);
}
