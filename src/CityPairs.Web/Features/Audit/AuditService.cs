using System.Text.Json;
using CityPairs.Domain.Cities;
using CityPairs.Web.Data;
using CityPairs.Web.Features.Accounts;
using CityPairs.Web.Features.Common;
using Microsoft.EntityFrameworkCore;

namespace CityPairs.Web.Features.Audit;

/// <summary>One property's values before and after; <see cref="Withheld"/> stands for contact changes the reader may not see.</summary>
public sealed record AuditChange(string Property, string? Old, string? New, bool Withheld = false);

public sealed record HistoryItem(DateTimeOffset At, string UserName, string EntityType, int EntityId, AuditAction Action, IReadOnlyList<AuditChange> Changes);

/// <summary>
/// Reads a record's history for its History tab. A city's entries hold its contacts' changes
/// ("CityContact[Id=12].Email"): for a reader who may not edit that city they are replaced by one withheld line,
/// so the rest of the city's history (profile, themes, archiving) stays readable and the contacts stay private.
/// </summary>
public sealed class AuditService(IDbContextFactory<CityPairsDbContext> dbFactory, ICurrentUser currentUser, AccessRules rules)
{
    public const int PageSize = 20;

    public async Task<Page<HistoryItem>> HistoryAsync(string entityType, int entityId, int page = 0, CancellationToken cancellationToken = default)
    {
        var user = await currentUser.GetAsync();
        if (user.Identity?.IsAuthenticated != true)
        {
            return new Page<HistoryItem>([], 0);
        }

        var contacts = await rules.ContactScopeAsync(user, cancellationToken);

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var entries = db.AuditEntries.AsNoTracking()
            .Where(e => (e.EntityType == entityType && e.EntityId == entityId) || (e.ParentType == entityType && e.ParentId == entityId));
        var total = await entries.CountAsync(cancellationToken);
        var rows = await entries.OrderByDescending(e => e.At).ThenByDescending(e => e.Id)
            .Skip(Math.Max(page, 0) * PageSize).Take(PageSize).ToListAsync(cancellationToken);
        return new Page<HistoryItem>(rows.ConvertAll(e => new HistoryItem(e.At, e.UserName, e.EntityType, e.EntityId, e.Action, Visible(e, contacts))), total);
    }

    /// <summary>Every entry of a city is checked, whichever record's history it shows in, so no other path leaks its contacts.</summary>
    private static List<AuditChange> Visible(AuditEntry entry, CityScope contacts)
    {
        var changes = Parse(entry.Changes);
        if (entry.EntityType != nameof(City) || contacts.Includes(entry.EntityId))
        {
            return changes;
        }

        var kept = changes.FindAll(c => !IsContact(c.Property));
        if (kept.Count < changes.Count)
        {
            kept.Add(new AuditChange("Contacts", null, null, Withheld: true));
        }

        return kept;
    }

    /// <summary>"CityContact[Id=12].Email", or "CityContact.Email" for a contact added with its city (its id was not known yet).</summary>
    private static bool IsContact(string property) =>
        property.StartsWith(nameof(CityContact), StringComparison.Ordinal) && property.Length > nameof(CityContact).Length &&
        property[nameof(CityContact).Length] is '[' or '.';

    private static List<AuditChange> Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return [.. document.RootElement.EnumerateObject().Select(p => new AuditChange(p.Name, Text(p.Value[0]), Text(p.Value[1])))];
    }

    private static string? Text(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Null => null,
        JsonValueKind.String => value.GetString(),
        _ => value.GetRawText(),
    };
}
