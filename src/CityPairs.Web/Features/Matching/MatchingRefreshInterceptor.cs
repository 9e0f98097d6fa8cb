using System.Runtime.CompilerServices;
using CityPairs.Domain.Calls;
using CityPairs.Domain.Cities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace CityPairs.Web.Features.Matching;

/// <summary>
/// Keeps the matching snapshot current as cities are saved, whichever code saves them (the Cities pages,
/// imports, the demo seeder, the calls for partners): before a save it notes the cities, city themes and calls
/// being added, changed or removed; after the save succeeds it publishes them to <see cref="MatchingSnapshotCache"/>, so the next
/// query after a save already sees it, and sends them on the <see cref="CityChangeFeed"/> for every instance.
/// A save inside an explicit transaction is refreshed here from the committed data, which may still be the
/// old version; the feed's notice arrives at commit and refreshes it again then.
/// </summary>
public sealed partial class MatchingRefreshInterceptor(MatchingSnapshotCache snapshots, ILogger<MatchingRefreshInterceptor> logger) : SaveChangesInterceptor
{
    private readonly ConditionalWeakTable<DbContext, Pending> _pending = [];

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

        // A call is part of its city's profile as the matcher sees it: publishing, editing or withdrawing one refreshes the city.
        var callCities = context.ChangeTracker.Entries<PartnerCall>()
            .Where(e => e.State is EntityState.Added or EntityState.Modified or EntityState.Deleted)
            .Select(e => e.Entity.CityId)
            .ToList();
        if (cities.Count == 0 && themes.Count == 0 && callCities.Count == 0)
        {
            _pending.Remove(context);
            return;
        }

        _pending.AddOrUpdate(context, new Pending(cities, themes, callCities));
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
        var ids = pending.Cities.Select(c => c.Id).Concat(pending.Themes.Select(t => t.CityId)).Concat(pending.CallCities)
            .Where(id => id > 0).Distinct().ToList();
        if (ids.Count == 0)
        {
            return;
        }

        // Not the caller's token: the save has happened, and a cancelled refresh would leave the snapshot stale.
        await snapshots.PublishAsync(ids, CancellationToken.None);
        try
        {
            await CityChangeFeed.NotifyAsync(context, ids, CancellationToken.None);
        }
#pragma warning disable CA1031 // The save succeeded; a failed notice must not make it look failed.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LogNotifyFailed(logger, ids.Count, ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not tell other instances about {Count} changed cities; their matching snapshots stay stale until rebuilt")]
    private static partial void LogNotifyFailed(ILogger logger, int count, Exception exception);

    private sealed record Pending(List<City> Cities, List<CityTheme> Themes, List<int> CallCities);
}
