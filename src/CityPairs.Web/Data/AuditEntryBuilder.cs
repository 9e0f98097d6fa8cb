using System.Text.Json;
using System.Text.Json.Serialization;
using CityPairs.Domain.Common;
using CityPairs.Web.Features.Audit;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata;

namespace CityPairs.Web.Data;

/// <summary>
/// How a change becomes an <see cref="AuditEntry"/>: which properties are recorded and how their values are
/// written (property -> [old, new]). <see cref="AuditInterceptor"/> uses it for tracked saves, and a COPY import
/// for the records it writes without the change tracker, so both write entries of the same shape.
/// </summary>
public static class AuditEntryBuilder
{
    /// <summary>Bookkeeping that changes on every save and says nothing about the record.</summary>
    private static readonly HashSet<string> Ignored = [nameof(Entity.Version), nameof(Entity.CreatedAt), nameof(Entity.UpdatedAt)];

    private static readonly JsonSerializerOptions Json = new() { Converters = { new JsonStringEnumConverter() } };

    public static AuditEntry Entry(
        AuditActor actor, DateTimeOffset at, string entityType, int entityId, AuditAction action, IReadOnlyDictionary<string, object?[]> changes,
        string? parentType = null, int? parentId = null)
    {
        ArgumentNullException.ThrowIfNull(actor);
        return new AuditEntry
        {
            At = at, UserId = actor.UserId, UserName = actor.UserName, EntityType = entityType, EntityId = entityId,
            ParentType = parentType, ParentId = parentId, Action = action, Changes = JsonSerializer.Serialize(changes, Json),
        };
    }

    /// <summary>
    /// The entry for a new record written without the change tracker (the cities import's COPY): the properties
    /// and values <see cref="AuditInterceptor"/> records when the same record is added through a context.
    /// </summary>
    public static AuditEntry Created<TEntity>(IModel model, TEntity entity, int id, AuditActor actor, DateTimeOffset at)
        where TEntity : class
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(entity);
        var type = model.FindEntityType(typeof(TEntity)) ?? throw new InvalidOperationException($"{typeof(TEntity).Name} is not in the model.");
        var changes = new Dictionary<string, object?[]>();
        foreach (var property in type.GetProperties().Where(p => IsRecorded(p, EntityState.Added)))
        {
            if (property.IsShadowProperty())
            {
                throw new NotSupportedException($"{type.DisplayName()}.{property.Name} is a shadow property; only a tracked entry can say its value.");
            }

            if (Change(EntityState.Added, null, property.GetGetter().GetClrValueUsingContainingEntity(entity), isModified: false) is { } change)
            {
                changes[property.Name] = change;
            }
        }

        return Entry(actor, at, type.ClrType.Name, id, AuditAction.Created, changes);
    }

    /// <summary>Adds a tracked entry's recorded changes to <paramref name="changes"/>, named with <paramref name="prefix"/>.</summary>
    public static void Record(EntityEntry entry, Dictionary<string, object?[]> changes, string prefix)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(changes);
        foreach (var property in entry.Properties)
        {
            if (!IsRecorded(property.Metadata, entry.State))
            {
                continue;
            }

            if (Change(entry.State, property.OriginalValue, property.CurrentValue, property.IsModified) is { } change)
            {
                changes[prefix + property.Metadata.Name] = change;
            }
        }
    }

    /// <summary>Bookkeeping, a shadow foreign key (the parent says it) and a live record's own id are left out.</summary>
    private static bool IsRecorded(IProperty property, EntityState state) =>
        !(Ignored.Contains(property.Name) || property.IsShadowProperty() && property.IsForeignKey() || property.IsPrimaryKey() && state != EntityState.Deleted);

    /// <summary>A new record lists its non-empty values, a deleted one its last values, a changed one what changed.</summary>
    private static object?[]? Change(EntityState state, object? original, object? current, bool isModified) => state switch
    {
        EntityState.Added when !IsEmpty(current) => [null, current],
        EntityState.Deleted => [original, null],
        EntityState.Modified when isModified && !SameJson(original, current) => [original, current],
        _ => null,
    };

    private static bool SameJson(object? a, object? b) =>
        JsonSerializer.Serialize(a, Json) == JsonSerializer.Serialize(b, Json);

    private static bool IsEmpty(object? value) => value is null || value is string { Length: 0 } || value is System.Collections.ICollection { Count: 0 };
}
