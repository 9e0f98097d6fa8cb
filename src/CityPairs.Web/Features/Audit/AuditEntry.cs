namespace CityPairs.Web.Features.Audit;

public enum AuditAction
{
    Created,
    Updated,
    StatusChanged,
    Archived,
    Restored,
    Deleted,
}

/// <summary>
/// One change to one record, written in the same SaveChanges (so the same transaction) as the change itself.
/// Changes to a record's parts (a city's contacts, a partnership's members) are entries of the record.
/// </summary>
public sealed class AuditEntry
{
    public long Id { get; set; }

    public DateTimeOffset At { get; set; }

    /// <summary>Null when the app itself made the change (seeding, a migration's data step).</summary>
    public string? UserId { get; set; }

    public string UserName { get; set; } = "";

    /// <summary>City, Partnership, Exchange or Programme.</summary>
    public string EntityType { get; set; } = "";

    public int EntityId { get; set; }

    /// <summary>The record this one belongs to (an exchange's partnership), so its history shows there too.</summary>
    public string? ParentType { get; set; }

    public int? ParentId { get; set; }

    public AuditAction Action { get; set; }

    /// <summary>JSON object: property name to [old, new].</summary>
    public string Changes { get; set; } = "{}";
}

/// <summary>Who the changes of a context are made by; set by the service that opens the context.</summary>
public sealed record AuditActor(string? UserId, string UserName)
{
    public static AuditActor System { get; } = new(null, "system");
}
