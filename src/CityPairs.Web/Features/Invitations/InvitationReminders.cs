using CityPairs.Web.Data;
using CityPairs.Web.Features.Notifications;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CityPairs.Web.Features.Invitations;

/// <summary>
/// Re-sends invitations nobody has answered: every <see cref="InvitationOptions.ReminderInterval"/> it tells the
/// people of each city whose invitation has been pending for more than <see cref="InvitationOptions.ReminderAfterDays"/>
/// days, at most once per such period. Safe with several app instances: each invitation is claimed by a conditional
/// UPDATE (see <see cref="RemindDueAsync"/>), and its reminder commits in the same transaction as the claim.
/// </summary>
public sealed partial class InvitationReminders(
    IDbContextFactory<CityPairsDbContext> dbFactory, ProposalInvitations invitations, IOptions<InvitationOptions> options,
    TimeProvider clock, ILogger<InvitationReminders> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.ReminderInterval, clock);
        do
        {
            try
            {
                var sent = await RemindDueAsync(stoppingToken);
                if (sent > 0)
                {
                    LogReminded(logger, sent);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // A failed round (the database away) must not stop the job; the next tick tries again.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                LogFailed(logger, ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>
    /// Reminds every invitation that is due now and returns how many. The UPDATE marks the due rows as reminded and
    /// returns them; a second instance running the same statement at the same moment waits on the row locks and, once
    /// the first commits, re-reads the rows, finds them reminded, and skips them (PostgreSQL re-checks the WHERE
    /// clause of an UPDATE against the committed row). A round that fails rolls back its claim with its messages.
    /// </summary>
    public async Task<int> RemindDueAsync(CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        var due = now - TimeSpan.FromDays(Math.Max(1, options.Value.ReminderAfterDays));
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var strategy = db.Database.CreateExecutionStrategy();
        return await strategy.ExecuteAsync(async ct =>
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            // Raw SQL on purpose: last_reminded_at is the job's bookkeeping, not a change anyone made to the invitation,
            // so it stays out of the audit trail (the reminders themselves are in the recipients' inboxes and the outbox).
            var claimed = await db.Database.SqlQuery<int>($"""
                UPDATE invitations AS i SET last_reminded_at = {now}
                WHERE i.status = 'Pending' AND i.created_at <= {due}
                  AND (i.last_reminded_at IS NULL OR i.last_reminded_at <= {due})
                  AND EXISTS (SELECT 1 FROM partnerships p WHERE p.id = i.partnership_id AND p.status = 'Proposed')
                RETURNING i.id AS "Value"
                """).ToListAsync(ct);
            if (claimed.Count == 0)
            {
                return 0;
            }

            var rows = await db.Invitations.AsNoTracking().Where(i => claimed.Contains(i.Id))
                .Join(db.Partnerships, i => i.PartnershipId, p => p.Id, (i, p) => new { i.CityId, i.CreatedAt, p.Id, p.Name })
                .Join(db.Cities, x => x.CityId, c => c.Id, (x, c) => new { x.CityId, x.CreatedAt, x.Id, x.Name, CityName = c.Name })
                .ToListAsync(ct);
            foreach (var row in rows)
            {
                var days = (int)(now - row.CreatedAt).TotalDays;
                await invitations.NotifyAsync(db, await invitations.CityPeopleAsync(db, [row.CityId], ct), new Notice(
                    ProposalInvitations.ReminderKind,
                    $"Reminder: {row.CityName} is invited to {row.Name}",
                    $"The invitation for {row.CityName} has waited {days} days for an answer. " +
                    "Open the proposal to accept it, decline it with a reason, or ask a question.",
                    ProposalInvitations.LinkTo(row.Id)), ct);
            }

            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
            return rows.Count;
        }, cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Reminded {Count} pending invitations")]
    private static partial void LogReminded(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not send invitation reminders; the next round tries again")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}

public static class InvitationRegistration
{
    public static IServiceCollection AddInvitations(this IServiceCollection services)
    {
        services.AddOptions<InvitationOptions>().BindConfiguration(InvitationOptions.Section);
        services.AddSingleton<ProposalInvitations>();
        services.AddScoped<InvitationService>();
        // One instance, resolvable by tests that run a round by hand.
        services.AddSingleton<InvitationReminders>();
        services.AddHostedService(sp => sp.GetRequiredService<InvitationReminders>());
        return services;
    }
}
