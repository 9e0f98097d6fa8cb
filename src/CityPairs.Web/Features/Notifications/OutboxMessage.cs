namespace CityPairs.Web.Features.Notifications;

/// <summary>
/// An e-mail waiting to be delivered. It is written by the same SaveChanges as the change it reports (see
/// <see cref="Outbox"/>), so a committed change always has its e-mail and a rolled-back one never does; a
/// background sender delivers it afterwards over SMTP and retries until the mail server takes it.
/// Not an audited <c>Entity</c>: the change it reports is what the audit trail records.
/// </summary>
public sealed class OutboxMessage
{
    public long Id { get; set; }

    public string ToAddress { get; set; } = "";

    public string? ToName { get; set; }

    public string Subject { get; set; } = "";

    /// <summary>Plain text; a link that opens the thing the message is about is part of the text.</summary>
    public string TextBody { get; set; } = "";

    /// <summary>What kind of message this is ("invitation", "password-reset" ...), for the mailbox page and the logs.</summary>
    public string Kind { get; set; } = "";

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Not before this time: set to now when written, pushed back after a failed attempt.</summary>
    public DateTimeOffset NextAttemptAt { get; set; }

    public int Attempts { get; set; }

    public string? LastError { get; set; }

    /// <summary>Null until the mail server accepted the message.</summary>
    public DateTimeOffset? SentAt { get; set; }

    /// <summary>
    /// Set when the sender gave up (the mail server refused the address, or every attempt failed): the message is no
    /// longer tried, and <see cref="LastError"/> says why.
    /// </summary>
    public DateTimeOffset? FailedAt { get; set; }
}
