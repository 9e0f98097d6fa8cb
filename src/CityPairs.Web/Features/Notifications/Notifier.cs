using CityPairs.Web.Data;
using Microsoft.Extensions.Options;

namespace CityPairs.Web.Features.Notifications;

/// <summary>What to tell people: a title, a sentence or two, and the page it is about.</summary>
public sealed record Notice(string Kind, string Title, string Text, string LinkPath);

/// <summary>
/// Someone to tell. A <see cref="UserId"/> gets an inbox item (and e-mail as their preference says); a person
/// without an account (a city's contact) gets the e-mail only.
/// </summary>
public sealed record Recipient(string? UserId, string Email, string? Name);

/// <summary>Where the product is reached from outside, so e-mailed links never come from a request's Host header.</summary>
public sealed class PublicLinkOptions
{
    public const string Section = "App";

    /// <summary>For example https://citypairs.example.org; "http://localhost:5080" in Development.</summary>
    public string PublicBaseUrl { get; set; } = "";
}

/// <summary>
/// The one way a change tells people about itself. <see cref="Notify"/> adds inbox items and outbox e-mails to the
/// caller's context without saving, so they commit (or roll back) with the change; a recipient named twice (a
/// coordinator who is also a contact) is told once.
/// </summary>
public sealed class Notifier(IOptions<PublicLinkOptions> links, TimeProvider clock)
{
    /// <summary>The absolute link for an e-mail. Without a configured base (tests) the app-relative path.</summary>
    public string LinkTo(string linkPath) => string.IsNullOrWhiteSpace(links.Value.PublicBaseUrl)
        ? linkPath
        : new Uri(new Uri(links.Value.PublicBaseUrl.TrimEnd('/') + "/"), linkPath.TrimStart('/')).ToString();

    public void Notify(CityPairsDbContext db, IEnumerable<Recipient> recipients, Notice notice)
    {
        var now = clock.GetUtcNow();
        var told = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var recipient in recipients)
        {
            if (!told.Add(recipient.UserId ?? recipient.Email))
            {
                continue;
            }

            if (recipient.UserId is not null)
            {
                db.Notifications.Add(new Notification
                {
                    UserId = recipient.UserId,
                    Kind = notice.Kind,
                    Title = notice.Title,
                    Text = notice.Text,
                    LinkPath = notice.LinkPath,
                    CreatedAt = now,
                });
            }

            // A contact without an account was recorded by its address just above; it still gets its e-mail.
            if (!string.IsNullOrWhiteSpace(recipient.Email) && (recipient.UserId is null || told.Add(recipient.Email)))
            {
                Outbox.Enqueue(db, new OutgoingMail(recipient.Email, recipient.Name, notice.Title,
                    $"{notice.Text}\n\n{LinkTo(notice.LinkPath)}\n", notice.Kind), now);
            }
        }
    }
}
