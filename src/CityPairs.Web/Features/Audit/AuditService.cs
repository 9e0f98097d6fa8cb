using System.Text.Json;
using CityPairs.Web.Data;
using CityPairs.Web.Features.Accounts;
using CityPairs.Web.Features.Common;
using Microsoft.EntityFrameworkCore;

namespace CityPairs.Web.Features.Audit;

public sealed record AuditChange(string Property, string? Old, string? New);

public sealed record HistoryItem(DateTimeOffset At, string UserName, string EntityType, int EntityId, AuditAction Action, IReadOnlyList<AuditChange> Changes);

/// <summary>Reads a record's history for its History tab. A city's history holds its contacts, so it is as private as they are.</summary>
public sealed class AuditService(IDbContextFactory<CityPairsDbContext> dbFactory, ICurrentUser currentUser, AccessRules rules)
{
    public const int PageSize = 20;

    public async Task<Page<HistoryItem>> HistoryAsync(string entityType, int entityId, int page = 0, CancellationToken cancellationToken = default)
    {
        var user = await currentUser.GetAsync();
        if (user.Identity?.IsAuthenticated != true || (entityType == "City" && !await rules.CanEditCityAsync(user, entityId, cancellationToken)))
        {
            return new Page<HistoryItem>([], 0);
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var entries = db.AuditEntries.AsNoTracking()
            .Where(e => (e.EntityType == entityType && e.EntityId == entityId) || (e.ParentType == entityType && e.ParentId == entityId));
        var total = await entries.CountAsync(cancellationToken);
        var rows = await entries.OrderByDescending(e => e.At).ThenByDescending(e => e.Id)
            .Skip(Math.Max(page, 0) * PageSize).Take(PageSize).ToListAsync(cancellationToken);
        return new Page<HistoryItem>(rows.ConvertAll(e => new HistoryItem(e.At, e.UserName, e.EntityType, e.EntityId, e.Action, Parse(e.Changes))), total);
    }

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
