using CityPairs.Domain.Cities;
using CityPairs.Domain.Common;
using CityPairs.Domain.Partnerships;
using CityPairs.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace CityPairs.Web.Features.Dashboards;

public sealed record CountBy<TKey>(TKey Key, int Count);

public sealed record MonthCount(int Year, int Month, int Count);

public sealed record ThemeCount(int ThemeId, string Name, int Count);

public sealed record QuietPartnership(int Id, string Name, PartnershipStatus Status, DateOnly? LastExchangeOn);

public sealed record DashboardTotals(int Partnerships, int Cities, int Exchanges);

/// <summary>
/// The portfolio in figures, overall or for one programme. One query per figure, grouped in PostgreSQL,
/// over the partnerships the Partnerships list shows by default (archived ones left out), so each figure
/// equals the count of the list it links to.
/// </summary>
public sealed class DashboardService(IDbContextFactory<CityPairsDbContext> dbFactory, TimeProvider clock)
{
    /// <summary>"Gone quiet" means no exchange started in this many months (seed 004: evaluate regularly).</summary>
    public const int QuietMonths = 12;

    public const int MonthsShown = 24;

    public const int TopThemes = 10;

    /// <summary>Only open, working partnerships can go quiet; proposed ones have not started, closed ones have ended.</summary>
    private static readonly PartnershipStatus[] Working = [PartnershipStatus.Agreed, PartnershipStatus.Active];

    public DateOnly Today() => DateOnly.FromDateTime(clock.GetLocalNow().DateTime);

    private static IQueryable<Partnership> InScope(CityPairsDbContext db, int? programmeId)
    {
        var partnerships = db.Partnerships.AsNoTracking().Where(p => !p.IsArchived);
        return programmeId is int id ? partnerships.Where(p => p.Programmes.Any(pp => pp.ProgrammeId == id)) : partnerships;
    }

    /// <summary>
    /// The registry's active cities, or for a programme those with a partnership under it: the same rule as
    /// CityService.ListAsync, so the figure and the Cities list it links to agree.
    /// </summary>
    private static IQueryable<City> CitiesInScope(CityPairsDbContext db, int? programmeId)
    {
        var cities = db.Cities.AsNoTracking().Where(c => !c.IsArchived);
        return programmeId is int id
            ? cities.Where(c => db.Partnerships.Any(p => p.Programmes.Any(pp => pp.ProgrammeId == id) && p.Members.Any(m => m.CityId == c.Id)))
            : cities;
    }

    public async Task<DashboardTotals> TotalsAsync(int? programmeId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var scope = InScope(db, programmeId);
        var partnerships = await scope.CountAsync(cancellationToken);
        var cities = await CitiesInScope(db, programmeId).CountAsync(cancellationToken);
        var exchanges = await db.Exchanges.AsNoTracking().CountAsync(e => scope.Any(p => p.Id == e.PartnershipId), cancellationToken);
        return new DashboardTotals(partnerships, cities, exchanges);
    }

    public async Task<IReadOnlyList<CountBy<PartnershipStatus>>> ByStatusAsync(int? programmeId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rows = await InScope(db, programmeId).GroupBy(p => p.Status)
            .Select(g => new CountBy<PartnershipStatus>(g.Key, g.Count())).ToListAsync(cancellationToken);
        return [.. rows.OrderBy(r => r.Key)];
    }

    public async Task<IReadOnlyList<CountBy<Modality>>> ByModalityAsync(int? programmeId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rows = await InScope(db, programmeId).GroupBy(p => p.Modality)
            .Select(g => new CountBy<Modality>(g.Key, g.Count())).ToListAsync(cancellationToken);
        return [.. rows.OrderBy(r => r.Key)];
    }

    /// <summary>Exchanges by the month they started, the last <see cref="MonthsShown"/> months, months without any included.</summary>
    public async Task<IReadOnlyList<MonthCount>> ExchangesPerMonthAsync(int? programmeId, CancellationToken cancellationToken = default)
    {
        var today = Today();
        var first = new DateOnly(today.Year, today.Month, 1).AddMonths(-(MonthsShown - 1));
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var scope = InScope(db, programmeId);
        var rows = await db.Exchanges.AsNoTracking()
            .Where(e => e.StartsOn >= first && e.StartsOn <= today && scope.Any(p => p.Id == e.PartnershipId))
            .GroupBy(e => new { e.StartsOn.Year, e.StartsOn.Month })
            .Select(g => new MonthCount(g.Key.Year, g.Key.Month, g.Count()))
            .ToListAsync(cancellationToken);
        return [.. Enumerable.Range(0, MonthsShown).Select(i => first.AddMonths(i))
            .Select(m => new MonthCount(m.Year, m.Month, rows.FirstOrDefault(r => r.Year == m.Year && r.Month == m.Month)?.Count ?? 0))];
    }

    /// <summary>Partnerships per SDG, all 17 goals in order (zero where none works on it).</summary>
    public async Task<IReadOnlyList<CountBy<int>>> SdgCoverageAsync(int? programmeId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rows = await InScope(db, programmeId).SelectMany(p => p.Sdgs).GroupBy(n => n)
            .Select(g => new { Sdg = g.Key, Count = g.Count() }).ToListAsync(cancellationToken);
        return [.. Enumerable.Range(1, 17).Select(n => new CountBy<int>(n, rows.FirstOrDefault(r => r.Sdg == n)?.Count ?? 0))];
    }

    public async Task<IReadOnlyList<ThemeCount>> TopThemesAsync(int? programmeId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rows = await InScope(db, programmeId).SelectMany(p => p.Themes).GroupBy(t => new { t.Id, t.Name })
            .Select(g => new { g.Key.Id, g.Key.Name, Count = g.Count() })
            .OrderByDescending(t => t.Count).ThenBy(t => t.Name).Take(TopThemes)
            .ToListAsync(cancellationToken);
        return [.. rows.Select(r => new ThemeCount(r.Id, r.Name, r.Count))];
    }

    /// <summary>Partnerships per member country: a partnership with two members in one country counts once.</summary>
    public async Task<IReadOnlyList<CountBy<string>>> CountriesAsync(int? programmeId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rows = await (
                from p in InScope(db, programmeId)
                from m in p.Members
                join c in db.Cities on m.CityId equals c.Id
                select new { c.CountryCode, p.Id })
            .Distinct()
            .GroupBy(x => x.CountryCode)
            .Select(g => new CountBy<string>(g.Key, g.Count()))
            .ToListAsync(cancellationToken);
        return [.. rows.OrderByDescending(r => r.Count).ThenBy(r => r.Key, StringComparer.Ordinal)];
    }

    /// <summary>Cities per region, counted as the Cities list filtered by region (and programme) counts them.</summary>
    public async Task<IReadOnlyList<CountBy<Region>>> RegionsAsync(int? programmeId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rows = await CitiesInScope(db, programmeId)
            .GroupBy(c => c.Region)
            .Select(g => new CountBy<Region>(g.Key, g.Count()))
            .ToListAsync(cancellationToken);
        return [.. rows.OrderByDescending(r => r.Count).ThenBy(r => r.Key)];
    }

    /// <summary>Agreed or active partnerships with no exchange started in the last <see cref="QuietMonths"/> months, the quietest first.</summary>
    public async Task<IReadOnlyList<QuietPartnership>> GoneQuietAsync(int? programmeId, CancellationToken cancellationToken = default)
    {
        var since = Today().AddMonths(-QuietMonths);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rows = await InScope(db, programmeId)
            .Where(p => Working.Contains(p.Status))
            .Select(p => new
            {
                p.Id, p.Name, p.Status,
                Last = db.Exchanges.Where(e => e.PartnershipId == p.Id).Max(e => (DateOnly?)e.StartsOn),
            })
            .Where(x => x.Last == null || x.Last < since)
            .OrderBy(x => x.Last != null).ThenBy(x => x.Last).ThenBy(x => x.Name)
            .ToListAsync(cancellationToken);
        return [.. rows.Select(r => new QuietPartnership(r.Id, r.Name, r.Status, r.Last))];
    }
}
