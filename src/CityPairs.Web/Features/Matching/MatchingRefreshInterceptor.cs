using System.Runtime.CompilerServices;
using CityPairs.Domain.Cities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace CityPairs.Web.Features.Matching;

/// <summary>
/// Keeps the matching snapshot current as cities are saved, whichever code saves them (the Cities pages,
/// imports, the demo seeder): before a save it notes the cities and city themes being added, changed or
/// removed; after the save succeeds it awaits <see cref="MatchingService.RefreshCitiesAsync"/> for them, so
/// the next query after a save already sees it. Saves inside an explicit transaction are refreshed from
/// the committed data, which may still be the old version: such callers should call RefreshCityAsync
/// after committing. Nobody does that today.
/// </summary>
public sealed partial class MatchingRefreshInterceptor(IServiceProvider services) : SaveChangesInterceptor
{
    private readonly ConditionalWeakTable<DbContext, Pending> _pending = [];

    // Resolved on first save: the service depends on the context factory this interceptor is part of.
    private MatchingService Matching => services.GetRequiredService<MatchingService>();

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Collect(eventData.Context);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(
        DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Collect(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        // Synchronous saves are rare here (Blazor and the API save asynchronously); blocking keeps the promise
        // that a save is visible to the next query. ASP.NET Core has no synchronisation context to deadlock on.
        RefreshAsync(eventData.Context).GetAwaiter().GetResult();
        return result;
    }

    public override async ValueTask<int> SavedChangesAsync(
        SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        await RefreshAsync(eventData.Context);
        return result;
    }

    public override void SaveChangesFailed(DbContextErrorEventData eventData) => Forget(eventData.Context);

    public override Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Forget(eventData.Context);
        return Task.CompletedTask;
    }

    public override void SaveChangesCanceled(DbContextEventData eventData) => Forget(eventData.Context);

    public override Task SaveChangesCanceledAsync(DbContextEventData eventData, CancellationToken cancellationToken = default)
    {
        Forget(eventData.Context);
        return Task.CompletedTask;
    }

    private void Collect(DbContext? context)
    {
        if (context is null)
        {
            return;
        }

        // Entities, not ids: a new city has its id only after the save.
        var cities = context.ChangeTracker.Entries<City>()
            .Where(e => e.State is EntityState.Added or EntityState.Modified or EntityState.Deleted)
            .Select(e => e.Entity)
            .ToList();
        var themes = context.ChangeTracker.Entries<CityTheme>()
            .Where(e => e.State is EntityState.Added or EntityState.Modified or EntityState.Deleted)
            .Select(e => e.Entity)
            .ToList();
        if (cities.Count == 0 && themes.Count == 0)
        {
            _pending.Remove(context);
            return;
        }

        _pending.AddOrUpdate(context, new Pending(cities, themes));
    }

    private void Forget(DbContext? context)
    {
        if (context is not null)
        {
            _pending.Remove(context);
        }
    }

    private async Task RefreshAsync(DbContext? context)
    {
        if (context is null || !_pending.TryGetValue(context, out var pending))
        {
            return;
        }

        _pending.Remove(context);
        var ids = pending.Cities.Select(c => c.Id).Concat(pending.Themes.Select(t => t.CityId)).Where(id => id > 0).Distinct().ToList();
        try
        {
            // Not the caller's token: the save has happened, and a cancelled refresh would leave the snapshot stale.
            await Matching.RefreshCitiesAsync(ids, CancellationToken.None);
            // Other app instances refresh too (CityChangeFeed).
            if (ids.Count > 0)
            {
                await CityChangeFeed.PublishAsync(context, ids, CancellationToken.None);
            }
        }
#pragma warning disable CA1031 // The save succeeded; a failed refresh must not make it look failed. Rebuild instead.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LogRefreshFailed(services.GetRequiredService<ILogger<MatchingRefreshInterceptor>>(), ids.Count, ex);
            Matching.Invalidate();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not refresh {Count} cities in the matching snapshot; it will be rebuilt on the next query")]
    private static partial void LogRefreshFailed(ILogger logger, int count, Exception exception);

    private sealed record Pending(List<City> Cities, List<CityTheme> Themes);
}
