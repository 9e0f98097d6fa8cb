using MailKit.Security;

namespace CityPairs.Web.Features.Notifications;

/// <summary>
/// The SMTP server the outbox is delivered through, and how patiently. Section <c>Mail</c>; every key has the
/// environment-variable form <c>Mail__Host</c> and so on (docs/DEPLOYMENT.md).
/// </summary>
public sealed class MailOptions
{
    public const string Section = "Mail";

    public string Host { get; set; } = "";

    public int Port { get; set; } = 587;

    /// <summary>None, Auto, SslOnConnect (port 465), StartTls (port 587, the default) or StartTlsWhenAvailable.</summary>
    public SecureSocketOptions Security { get; set; } = SecureSocketOptions.StartTls;

    /// <summary>Empty: the server takes mail without signing in (a local relay).</summary>
    public string? UserName { get; set; }

    public string? Password { get; set; }

    public string FromAddress { get; set; } = "";

    public string FromName { get; set; } = "CityPairs";

    /// <summary>
    /// Development only: run an SMTP server inside the app on <see cref="Port"/> (0: any free port) and show what it
    /// receives at /dev/mailbox. Ignored in every other environment.
    /// </summary>
    public bool DevelopmentServer { get; set; }

    /// <summary>How often the sender looks for due messages when it has nothing to do.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How many messages one round sends over one SMTP connection before it looks again.</summary>
    public int BatchSize { get; set; } = 10;

    /// <summary>The wait after the first failed attempt; it doubles with every further failure up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromHours(1);

    /// <summary>After this many failed attempts a message is marked failed and no longer tried (about a day with the defaults).</summary>
    public int MaxAttempts { get; set; } = 30;

    /// <summary>How long one SMTP operation (connect, send) may take.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>What is missing for real delivery, one sentence each; empty when the settings are usable.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(Host))
        {
            problems.Add("Mail__Host (the SMTP server) is not set.");
        }

        if (Port is <= 0 or > 65535)
        {
            problems.Add("Mail__Port must be between 1 and 65535.");
        }

        if (string.IsNullOrWhiteSpace(FromAddress) || !MimeKit.MailboxAddress.TryParse(FromAddress, out _))
        {
            problems.Add("Mail__FromAddress (the sender's e-mail address) is not set or not an address.");
        }

        if (!string.IsNullOrEmpty(UserName) && string.IsNullOrEmpty(Password))
        {
            problems.Add("Mail__UserName is set without Mail__Password.");
        }

        return problems;
    }
}

/// <summary>How the daily digest runs. Section <c>Notifications</c>.</summary>
public sealed class DigestOptions
{
    public const string Section = "Notifications";

    /// <summary>The time of day (UTC) after which each digest reader gets the day's digest.</summary>
    public TimeSpan DigestTimeUtc { get; set; } = TimeSpan.FromHours(6);

    /// <summary>How often the digest job looks for readers whose digest is due.</summary>
    public TimeSpan DigestCheckInterval { get; set; } = TimeSpan.FromMinutes(10);
}
