namespace CityPairs.Domain.Common;

/// <summary>
/// Base of every editable record. <see cref="Version"/> is the optimistic concurrency token (PostgreSQL's
/// xmin, mapped in the data layer) so a second editor's save is refused instead of overwriting the first.
/// </summary>
public abstract class Entity
{
    public int Id { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public uint Version { get; set; }
}
