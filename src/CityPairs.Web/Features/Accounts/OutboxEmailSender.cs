using CityPairs.Web.Data;
using CityPairs.Web.Features.Notifications;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace CityPairs.Web.Features.Accounts;

/// <summary>
/// Identity's e-mails (password reset, confirmation) go through the outbox like every other message, so they survive a
/// mail server that is down and are delivered once. They ignore the notification preference: a reset link is asked for.
/// In Development the link is also written to the log, as before the outbox existed.
/// </summary>
public sealed partial class OutboxEmailSender(
    IDbContextFactory<CityPairsDbContext> factory, OutboxWakeUp wakeUp, TimeProvider clock, IHostEnvironment environment,
    Microsoft.Extensions.Localization.IStringLocalizer<SharedResource> l, ILogger<OutboxEmailSender> logger) : IEmailSender<AppUser>
{
    public Task SendConfirmationLinkAsync(AppUser user, string email, string confirmationLink) =>
        SendAsync(user, email, l["Mail.ConfirmSubject"], l["Mail.ConfirmBody", confirmationLink], "account-confirmation");

    public Task SendPasswordResetLinkAsync(AppUser user, string email, string resetLink) =>
        SendAsync(user, email, l["Mail.ResetSubject"], l["Mail.ResetBody", resetLink], "password-reset");

    public Task SendPasswordResetCodeAsync(AppUser user, string email, string resetCode) =>
        SendAsync(user, email, l["Mail.ResetCodeSubject"], l["Mail.ResetCodeBody", resetCode], "password-reset");

    private async Task SendAsync(AppUser user, string email, string subject, string body, string kind)
    {
        await using (var db = await factory.CreateDbContextAsync())
        {
            Outbox.Enqueue(db, new OutgoingMail(email, string.IsNullOrWhiteSpace(user.DisplayName) ? null : user.DisplayName, subject, body, kind), clock.GetUtcNow());
            await db.SaveChangesAsync();
        }

        wakeUp.Wake();
        if (environment.IsDevelopment())
        {
            LogDevelopmentMail(email, subject, body);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Development e-mail to {To}: {Subject}: {Body} (also at /dev/mailbox)")]
    private partial void LogDevelopmentMail(string to, string subject, string body);
}
