using CityPairs.Web.Data;
using CityPairs.Web.Features.Accounts;
using Microsoft.EntityFrameworkCore;
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
/// coordinator who is also a contact) is told once. Each account's e-mail preference decides its mail: immediately
/// (an outbox e-mail now), daily digest (<see cref="NotificationDigest"/> mails it later) or off (inbox only). A contact
/// whose address belongs to an account is told as that account; any other address always gets the e-mail.
/// </summary>
public sealed class Notifier(IOptions<PublicLinkOptions> links, TimeProvider clock)
{
    /// <summary>The absolute link for an e-mail. Without a configured base (tests) the app-relative path.</summary>
    public string LinkTo(string linkPath) => string.IsNullOrWhiteSpace(links.Value.PublicBaseUrl)
        ? linkPath
        : new Uri(new Uri(links.Value.PublicBaseUrl.TrimEnd('/') + "/"), linkPath.TrimStart('/')).ToString();

    /// <summary>
    /// Reads the recipients' accounts (their preferences) synchronously, so callers keep a plain call; an async caller
    /// can use <see cref="NotifyAsync"/> instead.
    /// </summary>
    public void Notify(CityPairsDbContext db, IEnumerable<Recipient> recipients, Notice notice)
    {
        var list = recipients.ToList();
        Tell(db, list, notice, AccountsOf(db, list).ToList());
    }

    public async Task NotifyAsync(CityPairsDbContext db, IEnumerable<Recipient> recipients, Notice notice, CancellationToken cancellationToken = default)
    {
        var list = recipients.ToList();
        Tell(db, list, notice, await AccountsOf(db, list).ToListAsync(cancellationToken));
    }

    private sealed record Account(string Id, string? NormalizedEmail, string? Email, EmailPreference Preference);

    private static IQueryable<Account> AccountsOf(CityPairsDbContext db, List<Recipient> recipients)
    {
        var ids = recipients.Where(r => r.UserId is not null).Select(r => r.UserId!).Distinct().ToList();
        var emails = recipients.Where(r => !string.IsNullOrWhiteSpace(r.Email)).Select(r => Normalize(r.Email)).Distinct().ToList();
        return db.Users.AsNoTracking()
            .Where(u => ids.Contains(u.Id) || (u.NormalizedEmail != null && emails.Contains(u.NormalizedEmail)))
            .Select(u => new Account(u.Id, u.NormalizedEmail, u.Email, u.EmailPreference));
    }

    // Identity's own normalisation (UpperInvariantLookupNormalizer), so a contact's address finds its account.
    private static string Normalize(string email) => email.Trim().ToUpperInvariant();

    private void Tell(CityPairsDbContext db, List<Recipient> recipients, Notice notice, List<Account> accounts)
    {
        var now = clock.GetUtcNow();
        var byId = accounts.ToDictionary(a => a.Id);
        var byEmail = accounts.Where(a => a.NormalizedEmail is not null).ToDictionary(a => a.NormalizedEmail!);

        // Accounts first: when a coordinator is also listed as a city contact, their preference decides.
        var resolved = recipients
            .Select(r => r.UserId is null && !string.IsNullOrWhiteSpace(r.Email) && byEmail.TryGetValue(Normalize(r.Email), out var account)
                ? r with { UserId = account.Id }
                : r)
            .OrderBy(r => r.UserId is null ? 1 : 0);

        var toldUsers = new HashSet<string>(StringComparer.Ordinal);
        var coveredAddresses = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var recipient in resolved)
        {
            if (recipient.UserId is { } userId)
            {
                if (!toldUsers.Add(userId))
                {
                    continue;
                }

                db.Notifications.Add(new Notification
                {
                    UserId = userId,
                    Kind = notice.Kind,
                    Title = notice.Title,
                    Text = notice.Text,
                    LinkPath = notice.LinkPath,
                    CreatedAt = now,
                });

                byId.TryGetValue(userId, out var account);
                var address = string.IsNullOrWhiteSpace(recipient.Email) ? account?.Email : recipient.Email.Trim();
                // The account's own address counts as told whatever the preference: "off" must not leak through a
                // contact entry with the same address.
                coveredAddresses.Add(address ?? "");
                coveredAddresses.Add(account?.Email ?? "");
                if ((account?.Preference ?? EmailPreference.Immediately) == EmailPreference.Immediately && !string.IsNullOrWhiteSpace(address))
                {
                    Enqueue(db, address, recipient.Name, notice, now);
                }
            }
            else if (!string.IsNullOrWhiteSpace(recipient.Email) && coveredAddresses.Add(recipient.Email.Trim()))
            {
                Enqueue(db, recipient.Email, recipient.Name, notice, now);
            }
        }
    }

    private void Enqueue(CityPairsDbContext db, string address, string? name, Notice notice, DateTimeOffset now) =>
        Outbox.Enqueue(db, new OutgoingMail(address, name, notice.Title, $"{notice.Text}\n\n{LinkTo(notice.LinkPath)}\n", notice.Kind), now);
}
