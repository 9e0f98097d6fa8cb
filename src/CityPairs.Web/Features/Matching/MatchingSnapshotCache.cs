using CityPairs.Domain.Matching;
using CityPairs.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace CityPairs.Web.Features.Matching;

/// <summary>
/// The one piece of matching state the whole app shares: the current <see cref="MatchingSnapshot"/> of every
/// active city. Readers take the reference and query it without a lock (snapshots are immutable); writers (the
/// first load and each published change) go one at a time and swap in a new snapshot. Every change reaches it
/// through <see cref="PublishAsync"/>: a save (MatchingRefreshInterceptor), the cities import's COPY after it
/// commits, and changes made on other app instances (CityChangeFeed). A city's "seeking partners" calls are part
/// of its profile, so a call's change refreshes its city; a call that expires needs no refresh, because the engine
/// counts only calls live on the query's day.
/// </summary>
/// <remarks>
/// It reads through a context factory without the refresh interceptor: it never saves, and the interceptor
/// holds this cache, so sharing the app's factory would make the two depend on each other.
/// </remarks>
public sealed partial class MatchingSnapshotCache(
    IDbContextFactory<CityPairsDbContext> dbFactory, ILogger<MatchingSnapshotCache> logger, TimeProvider? clock = null) : IDisposable
{
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;

    /// <summary>
    /// Above this many cities a change rebuilds the snapshot on the next query instead of refreshing city by
    /// city; it also keeps a change notice under pg_notify's 8,000-byte payload.
    /// </summary>
    public const int RefreshLimit = 1_000;

    private readonly SemaphoreSlim _writer = new(1, 1);
    private volatile MatchingSnapshot? _snapshot;

    /// <summary>The snapshot now, loading it from the database on first use.</summary>
    public async Task<MatchingSnapshot> SnapshotAsync(CancellationToken cancellationToken = default)
    {
        if (_snapshot is { } current)
        {
            return current;
        }

        await _writer.WaitAsync(cancellationToken);
        try
        {
            // The writer lock is held for the whole load, so a city saved meanwhile is applied after it, never lost.
            _snapshot ??= MatchingSnapshot.Build(await LoadProfilesAsync(null, cancellationToken));
            return _snapshot;
        }
        finally
        {
            _writer.Release();
        }
    }

    /// <summary>
    /// The snapshot, making sure it has <paramref name="cityId"/> if the database has it: a city saved
    /// through a context without the refresh interceptor (a script, a test) is picked up on first query.
    /// </summary>
    public async Task<MatchingSnapshot> SnapshotWithAsync(int cityId, CancellationToken cancellationToken = default)
    {
        var snapshot = await SnapshotAsync(cancellationToken);
        if (snapshot.Contains(cityId))
        {
            return snapshot;
        }

        await RefreshCitiesAsync([cityId], cancellationToken);
        return await SnapshotAsync(cancellationToken);
    }

    /// <summary>
    /// Applies a change to cities, whoever made it: <paramref name="cityIds"/> are reloaded (upserted if active,
    /// removed if archived or deleted); <see langword="null"/> (changes not known one by one) or more than
    /// <see cref="RefreshLimit"/> ids drop the snapshot so the next query rebuilds it. Never fails: a change that
    /// cannot be applied drops the snapshot too, because the caller's change has already happened.
    /// </summary>
    public async Task PublishAsync(IReadOnlyCollection<int>? cityIds, CancellationToken cancellationToken = default)
    {
        if (cityIds is null || cityIds.Count > RefreshLimit)
        {
            Invalidate();
            return;
        }

        try
        {
            await RefreshCitiesAsync(cityIds, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            Invalidate();
            throw;
        }
#pragma warning disable CA1031 // The change happened; a failed refresh must not make it look failed. Rebuild instead.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LogRefreshFailed(logger, cityIds.Count, ex);
            Invalidate();
        }
    }

    /// <summary>Reloads these cities now: upserted if active, removed if archived or deleted.</summary>
    public async Task RefreshCitiesAsync(IReadOnlyCollection<int> cityIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(cityIds);
        if (cityIds.Count == 0)
        {
            return;
        }

        await _writer.WaitAsync(cancellationToken);
        try
        {
            var snapshot = _snapshot;
            if (snapshot is null)
            {
                // Not loaded yet: the first query reads the database as it is then.
                return;
            }

            var profiles = (await LoadProfilesAsync(cityIds, cancellationToken)).ToDictionary(p => p.Id);
            foreach (var id in cityIds.Distinct())
            {
                if (profiles.TryGetValue(id, out var profile))
                {
                    snapshot = snapshot.WithUpsert(profile);
                }
                else if (snapshot.Contains(id))
                {
                    snapshot = snapshot.WithRemoved(id);
                }
            }

            _snapshot = snapshot;
        }
        finally
        {
            _writer.Release();
        }
    }

    /// <summary>Drops the snapshot so the next query rebuilds it; for when a refresh could not be applied.</summary>
    public void Invalidate() => _snapshot = null;

    private async Task<List<CityProfile>> LoadProfilesAsync(IReadOnlyCollection<int>? ids, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var cities = db.Cities.AsNoTracking().Where(c => !c.IsArchived);
        if (ids is not null)
        {
            var list = ids.ToList();
            cities = cities.Where(c => list.Contains(c.Id));
        }

        var rows = await cities
            .Select(c => new
            {
                c.Id, c.Name, c.CountryCode, c.Region, c.Population, c.Latitude, c.Longitude, c.Languages, c.PrioritySdgs,
                Themes = c.Themes.Select(t => new { t.ThemeId, t.Interest }).ToList(),
            })
            .AsSplitQuery()
            .ToListAsync(cancellationToken);

        // Calls already over when loaded can never count again; later expiries are the engine's to check per query.
        var today = DateOnly.FromDateTime(_clock.GetLocalNow().DateTime);
        var calls = db.PartnerCalls.AsNoTracking().Where(p => p.WithdrawnAt == null && p.ExpiresOn > today);
        if (ids is not null)
        {
            var list = ids.ToList();
            calls = calls.Where(p => list.Contains(p.CityId));
        }

        var callsByCity = (await calls
                .Select(p => new { p.CityId, p.Id, p.Title, p.ExpiresOn, p.SoughtThemeIds, p.SoughtSdgs })
                .ToListAsync(cancellationToken))
            .ToLookup(p => p.CityId, p => new SeekingCall(p.Id, p.Title, p.ExpiresOn, p.SoughtThemeIds, p.SoughtSdgs));
        return rows.ConvertAll(c => new CityProfile(
            c.Id, c.Name, c.CountryCode, c.Region, c.Population, c.Latitude, c.Longitude, c.Languages, c.PrioritySdgs,
            [.. c.Themes.Select(t => new ThemeChoice(t.ThemeId, t.Interest))])
        {
            Calls = [.. callsByCity[c.Id]],
        });
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not refresh {Count} cities in the matching snapshot; it will be rebuilt on the next query")]
    private static partial void LogRefreshFailed(ILogger logger, int count, Exception exception);

    public void Dispose() => _writer.Dispose();
}
