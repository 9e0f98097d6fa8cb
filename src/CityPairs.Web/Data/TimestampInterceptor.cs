using CityPairs.Domain.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace CityPairs.Web.Data;

/// <summary>
/// Sets CreatedAt/UpdatedAt on every save so no code path can forget them. A change to a child list
/// (a new contact, a status change) counts as a change to its parent: marking the parent modified also
/// makes PostgreSQL check the parent's xmin, so two editors of the same record collide instead of both winning.
/// </summary>
public sealed class TimestampInterceptor(TimeProvider clock) : SaveChangesInterceptor
{
    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Stamp(eventData.Context);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(
        DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Stamp(eventData.Context);
        return ValueTask.FromResult(result);
    }

    private void Stamp(DbContext? context)
    {
        if (context is null)
        {
            return;
        }

        var now = clock.GetUtcNow();
        foreach (var entry in context.ChangeTracker.Entries<Entity>().ToList())
        {
            if (entry.State == EntityState.Added)
            {
                entry.Entity.CreatedAt = now;
                entry.Entity.UpdatedAt = now;
            }
            else if (entry.State == EntityState.Modified || (entry.State == EntityState.Unchanged && HasChangedChildren(entry)))
            {
                entry.Entity.UpdatedAt = now;
                entry.Property(e => e.UpdatedAt).IsModified = true;
            }
        }
    }

    private static bool HasChangedChildren(EntityEntry<Entity> entry) =>
        entry.Collections.Any(collection => collection.IsLoaded && collection.CurrentValue is not null &&
            collection.CurrentValue.Cast<object>().Any(child =>
                entry.Context.Entry(child).State is EntityState.Added or EntityState.Modified or EntityState.Deleted));
}
