using CityPairs.Web.Data;

namespace CityPairs.Web.Features.Notifications;

/// <summary>An e-mail to write to the outbox: to whom, about what, and the link that opens it.</summary>
public sealed record OutgoingMail(string ToAddress, string? ToName, string Subject, string TextBody, string Kind);

/// <summary>
/// The only way the product queues an e-mail. <see cref="Enqueue"/> adds the message to the caller's context
/// and does not save: the caller's own SaveChanges commits the message together with the change it reports.
/// </summary>
public static class Outbox
{
    public static OutboxMessage Enqueue(CityPairsDbContext db, OutgoingMail mail, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(mail.ToAddress);
        var message = new OutboxMessage
        {
            ToAddress = mail.ToAddress.Trim(),
            ToName = string.IsNullOrWhiteSpace(mail.ToName) ? null : mail.ToName.Trim(),
            Subject = mail.Subject,
            TextBody = mail.TextBody,
            Kind = mail.Kind,
            CreatedAt = now,
            NextAttemptAt = now,
        };
        db.OutboxMessages.Add(message);
        return message;
    }
}
