using Microsoft.AspNetCore.Identity;

namespace CityPairs.Web.Features.Accounts;

/// <summary>
/// Development's mail: the message goes to the log, where a developer (or a test) picks up the link.
/// A real sender (SMTP or a mail service) implements the same interface.
/// </summary>
public sealed partial class LogEmailSender(ILogger<LogEmailSender> logger) : IEmailSender<AppUser>
{
    public Task SendConfirmationLinkAsync(AppUser user, string email, string confirmationLink)
    {
        LogMessage(email, "Confirm your account", confirmationLink);
        return Task.CompletedTask;
    }

    public Task SendPasswordResetLinkAsync(AppUser user, string email, string resetLink)
    {
        LogMessage(email, "Reset your CityPairs password", resetLink);
        return Task.CompletedTask;
    }

    public Task SendPasswordResetCodeAsync(AppUser user, string email, string resetCode)
    {
        LogMessage(email, "Your CityPairs password reset code", resetCode);
        return Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Email to {To}: {Subject}: {Body}")]
    private partial void LogMessage(string to, string subject, string body);
}
