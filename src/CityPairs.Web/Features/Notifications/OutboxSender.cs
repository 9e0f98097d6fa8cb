using System.Net.Sockets;
using CityPairs.Web.Data;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MimeKit;
using Npgsql;

namespace CityPairs.Web.Features.Notifications;

/// <summary>
/// Delivers the outbox over SMTP. Each message is claimed with <c>SELECT ... FOR UPDATE SKIP LOCKED</c> in a transaction
/// of its own that stays open while the mail server takes it and commits with SentAt set: a second instance skips the
/// locked row (and re-checks SentAt if it waited), so nothing is sent twice; a crash or a stop before the commit leaves
/// the row unsent for the next instance, so nothing is lost. One transaction per message rather than per batch keeps
/// what a crash between "accepted" and "committed" can repeat to that one message (and its Message-ID stays the same,
/// so a mail client shows a repeat once). A round sends up to <see cref="MailOptions.BatchSize"/> messages over one
/// SMTP connection. A failed attempt pushes the message back (doubling waits, capped); after
/// <see cref="MailOptions.MaxAttempts"/>, or when the server refuses the address, it is marked failed.
/// </summary>
public sealed partial class OutboxSender(
    IDbContextFactory<CityPairsDbContext> factory, IOptions<MailOptions> options, OutboxWakeUp wakeUp, TimeProvider clock,
    ILogger<OutboxSender> logger) : BackgroundService
{
    private bool _reportedNoServer;

    private enum Outcome
    {
        NothingDue,
        Sent,
        Failed,
        ServerUnavailable,
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var databaseTrouble = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            var moreDue = false;
            try
            {
                moreDue = await SendDueAsync(stoppingToken);
                databaseTrouble = false;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            // EF's RetryLimitExceededException is a plain Exception: without DatabaseOutage.Is an outage longer than
            // the retries escaped this loop, and a failed background service stops the whole app.
            catch (Exception ex) when (Common.DatabaseOutage.Is(ex) || ex is NpgsqlException or DbUpdateException or InvalidOperationException or TimeoutException)
            {
                // A database outage fails every round until it ends: say so once, not every few seconds.
                if (!databaseTrouble)
                {
                    LogDatabaseUnavailable(ex);
                }

                databaseTrouble = true;
            }

            if (!moreDue)
            {
                await wakeUp.WaitAsync(options.Value.PollInterval, stoppingToken);
            }
        }
    }

    /// <summary>One round: sends due messages until none is left, the batch is full or the server is unreachable.</summary>
    /// <returns>True when a full batch went out and more may be waiting.</returns>
    public async Task<bool> SendDueAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (string.IsNullOrWhiteSpace(settings.Host))
        {
            // Only possible in Development (elsewhere the app does not start without it): the mail waits, untouched.
            if (!_reportedNoServer)
            {
                LogNoServer();
                _reportedNoServer = true;
            }

            return false;
        }

        using var smtp = new SmtpClient { Timeout = (int)settings.Timeout.TotalMilliseconds };
        try
        {
            for (var handled = 0; handled < settings.BatchSize; handled++)
            {
                var outcome = await SendNextAsync(smtp, settings, cancellationToken);
                if (outcome is Outcome.NothingDue or Outcome.ServerUnavailable)
                {
                    return false;
                }
            }

            return true;
        }
        finally
        {
            if (smtp.IsConnected)
            {
                try
                {
                    await smtp.DisconnectAsync(quit: true, CancellationToken.None);
                }
                catch (Exception ex) when (IsDeliveryFailure(ex))
                {
                    // Everything was committed already; a QUIT that fails changes nothing.
                }
            }
        }
    }

    private async Task<Outcome> SendNextAsync(SmtpClient smtp, MailOptions settings, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var strategy = db.Database.CreateExecutionStrategy();
        return await strategy.ExecuteAsync(async () =>
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var now = clock.GetUtcNow();
            // Not composed further (no Single/First) so EF sends exactly this SQL: FOR UPDATE must stay outermost.
            var claimed = await db.OutboxMessages.FromSql($"""
                SELECT * FROM outbox_messages
                WHERE sent_at IS NULL AND failed_at IS NULL AND next_attempt_at <= {now}
                ORDER BY next_attempt_at, id
                LIMIT 1
                FOR UPDATE SKIP LOCKED
                """).ToListAsync(cancellationToken);
            if (claimed is not [var message])
            {
                return Outcome.NothingDue;
            }

            Outcome outcome;
            try
            {
                if (!smtp.IsConnected)
                {
                    await smtp.ConnectAsync(settings.Host, settings.Port, settings.Security, cancellationToken);
                    if (!string.IsNullOrEmpty(settings.UserName))
                    {
                        await smtp.AuthenticateAsync(settings.UserName, settings.Password ?? "", cancellationToken);
                    }
                }

                await smtp.SendAsync(ToMime(message, settings), cancellationToken);
                message.Attempts++;
                message.SentAt = clock.GetUtcNow();
                message.LastError = null;
                outcome = Outcome.Sent;
            }
            catch (Exception ex) when (IsDeliveryFailure(ex) && !cancellationToken.IsCancellationRequested)
            {
                message.Attempts++;
                message.LastError = Describe(ex);
                if (IsPermanent(ex) || message.Attempts >= settings.MaxAttempts)
                {
                    message.FailedAt = now;
                    LogGaveUp(message.Id, message.Kind, message.Attempts, message.LastError);
                }
                else
                {
                    message.NextAttemptAt = now + Backoff(message.Attempts, settings);
                    LogRetry(message.Id, message.Kind, message.Attempts, message.NextAttemptAt, message.LastError);
                }

                outcome = smtp.IsConnected ? Outcome.Failed : Outcome.ServerUnavailable;
            }

            // Once the server has the message, recording it must not be cut short by a stopping app.
            await db.SaveChangesAsync(CancellationToken.None);
            await transaction.CommitAsync(CancellationToken.None);
            return outcome;
        });
    }

    /// <summary>The wait before attempt <paramref name="attempts"/> + 1: the base delay doubled per failure, capped.</summary>
    public static TimeSpan Backoff(int attempts, MailOptions settings)
    {
        var doublings = Math.Clamp(attempts - 1, 0, 30);
        var delay = settings.RetryDelay * Math.Pow(2, doublings);
        return delay > settings.MaxRetryDelay ? settings.MaxRetryDelay : delay;
    }

    private static MimeMessage ToMime(OutboxMessage message, MailOptions settings)
    {
        var mime = new MimeMessage();
        mime.From.Add(new MailboxAddress(settings.FromName, settings.FromAddress));
        mime.To.Add(new MailboxAddress(message.ToName ?? "", message.ToAddress));
        mime.Subject = message.Subject;
        // The same Message-ID on every attempt: should a crash repeat a message, mail clients show it once.
        var domain = settings.FromAddress.Split('@') is [_, var host] ? host : "citypairs.local";
        mime.MessageId = $"outbox-{message.Id}-{message.CreatedAt.ToUnixTimeMilliseconds()}@{domain}";
        mime.Body = new TextPart(MimeKit.Text.TextFormat.Plain) { Text = message.TextBody };
        return mime;
    }

    private static bool IsDeliveryFailure(Exception ex) =>
        ex is IOException or SocketException or TimeoutException or OperationCanceledException or ProtocolException or CommandException
            or AuthenticationException or SslHandshakeException or ServiceNotConnectedException or ServiceNotAuthenticatedException
            or ParseException;

    // The server refused this address (a 5xx answer to RCPT TO), or it is not an address: trying again cannot help.
    private static bool IsPermanent(Exception ex) =>
        ex is ParseException
        || ex is SmtpCommandException { ErrorCode: SmtpErrorCode.RecipientNotAccepted, StatusCode: var status } && (int)status >= 500;

    private static string Describe(Exception ex)
    {
        var text = $"{ex.GetType().Name}: {ex.Message}";
        return text.Length <= 2000 ? text : text[..2000];
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "E-mail {MessageId} ({Kind}) not delivered on attempt {Attempts}; next attempt at {NextAttemptAt}: {Error}")]
    private partial void LogRetry(long messageId, string kind, int attempts, DateTimeOffset nextAttemptAt, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "E-mail {MessageId} ({Kind}) failed for good after {Attempts} attempts and will not be retried: {Error}")]
    private partial void LogGaveUp(long messageId, string kind, int attempts, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "No mail server configured (Mail__Host): e-mail stays in the outbox")]
    private partial void LogNoServer();

    [LoggerMessage(Level = LogLevel.Warning, Message = "The outbox cannot be read; e-mail waits until the database answers")]
    private partial void LogDatabaseUnavailable(Exception exception);
}

/// <summary>
/// Lets code that has just committed an e-mail (a password reset) start the sender's next round at once instead of
/// after the poll interval. Other instances still find the message on their next poll.
/// </summary>
public sealed class OutboxWakeUp : IDisposable
{
    private readonly SemaphoreSlim _signal = new(0, 1);

    public void Wake()
    {
        try
        {
            _signal.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already awake.
        }
    }

    public void Dispose() => _signal.Dispose();

    public async Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            await _signal.WaitAsync(timeout, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The app is stopping; the loop sees it.
        }
    }
}
