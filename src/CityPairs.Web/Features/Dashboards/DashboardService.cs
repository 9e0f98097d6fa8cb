using CityPairs.Domain.Cities;
using CityPairs.Domain.Common;
using CityPairs.Domain.Exchanges;
using CityPairs.Domain.Partnerships;
using CityPairs.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace CityPairs.Web.Features.Dashboards;

public sealed record CountBy<TKey>(TKey Key, int Count);

public sealed record MonthCount(int Year, int Month, int Count);

public sealed record ThemeCount(int ThemeId, string Name, int Count);

public sealed record QuietPartnership(int Id, string Name, PartnershipStatus Status, DateOnly? LastExchangeOn);

public sealed record DashboardTotals(int Partnerships, int Cities, int Exchanges);

/// <summary>The partnerships gone quiet: how many, and the quietest of them (the page shows a few, not thousands).</summary>
public sealed record QuietList(int Count, IReadOnlyList<QuietPartnership> Quietest);

/// <summary>Every figure of the dashboards page for one scope, loaded together.</summary>
public sealed record Dashboard(
    int? ProgrammeId,
    DashboardTotals Totals,
    IReadOnlyList<CountBy<PartnershipStatus>> Status,
    IReadOnlyList<CountBy<Modality>> Modality,
    IReadOnlyList<MonthCount> Months,
    IReadOnlyList<CountBy<int>> Sdgs,
    IReadOnlyList<ThemeCount> Themes,
    IReadOnlyList<CountBy<string>> Countries,
    IReadOnlyList<CountBy<Region>> Regions,
    QuietList Quiet);

/// <summary>
/// The portfolio in figures, overall or for one programme. One query per figure, grouped in PostgreSQL,
/// over the partnerships the Partnerships list shows by default (archived ones left out), so each figure
/// equals the count of the list it links to. The page loads them all with <see cref="LoadAsync"/> (one
/// context, totals derived from the figures that already hold them); the per-figure methods answer the same.
/// </summary>
public sealed class DashboardService(IDbContextFactory<CityPairsDbContext> dbFactory, TimeProvider clock)
{
    /// <summary>"Gone quiet" means no exchange started in this many months (seed 004: evaluate regularly).</summary>
    public const int QuietMonths = 12;

    public const int MonthsShown = 24;

    public const int TopThemes = 10;

    /// <summary>How many of the quiet partnerships the page lists (at 100,000 cities there are thousands; docs/PERFORMANCE.md).</summary>
    public const int QuietShown = 20;

    /// <summary>Only open, working partnerships can go quiet; proposed ones have not started, closed ones have ended.</summary>
    private static readonly PartnershipStatus[] Working = [PartnershipStatus.Agreed, PartnershipStatus.Active];

    public DateOnly Today() => DateOnly.FromDateTime(clock.GetLocalNow().DateTime);

    private static IQueryable<Partnership> InScope(CityPairsDbContext db, int? programmeId)
    {
        var partnerships = db.Partnerships.AsNoTracking().Where(p => !p.IsArchived);
        return programmeId is int id ? partnerships.Where(p => p.Programmes.Any(pp => pp.ProgrammeId == id)) : partnerships;
    }

    /// <summary>
    /// The exchanges of the partnerships in scope. Overall, "not archived" is written as "not among the archived
    /// ones": archived partnerships are few and have a partial index, so PostgreSQL need not hash every partnership
    /// to filter 500,000 exchanges (docs/PERFORMANCE.md, query plans).
    /// </summary>
    private static IQueryable<Exchange> ExchangesInScope(CityPairsDbContext db, int? programmeId)
    {
        var exchanges = db.Exchanges.AsNoTracking();
        if (programmeId is null)
        {
            return exchanges.Where(e => !db.Partnerships.Any(p => p.IsArchived && p.Id == e.PartnershipId));
        }

        var scope = InScope(db, programmeId);
        return exchanges.Where(e => scope.Any(p => p.Id == e.PartnershipId));
    }

    /// <summary>Memberships of the partnerships in scope, filtered the same way as <see cref="ExchangesInScope"/>.</summary>
    private static IQueryable<PartnershipMember> MembersInScope(CityPairsDbContext db, int? programmeId)
    {
        var members = db.Set<PartnershipMember>().AsNoTracking();
        if (programmeId is null)
        {
            return members.Where(m => !db.Partnerships.Any(p => p.IsArchived && p.Id == m.PartnershipId));
        }

        var scope = InScope(db, programmeId);
        return members.Where(m => scope.Any(p => p.Id == m.PartnershipId));
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

    /// <summary>
    /// Every figure of the page on one context, one after the other (the pool is shared with every other circuit).
    /// The partnership total is the sum of the status figure and the city total the sum of the regions figure:
    /// each partnership has one status and each city one region, so two counting queries are saved.
    /// </summary>
    public async Task<Dashboard> LoadAsync(int? programmeId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var status = await ByStatusAsync(db, programmeId, cancellationToken);
        var modality = await ByModalityAsync(db, programmeId, cancellationToken);
        var months = await ExchangesPerMonthAsync(db, programmeId, Today(), cancellationToken);
        var sdgs = await SdgCoverageAsync(db, programmeId, cancellationToken);
        var themes = await TopThemesAsync(db, programmeId, cancellationToken);
        var countries = await CountriesAsync(db, programmeId, cancellationToken);
        var regions = await RegionsAsync(db, programmeId, cancellationToken);
        var quiet = await QuietAsync(db, programmeId, Today(), QuietShown, cancellationToken);
        var exchanges = await ExchangesInScope(db, programmeId).CountAsync(cancellationToken);
        var totals = new DashboardTotals(status.Sum(s => s.Count), regions.Sum(r => r.Count), exchanges);
        return new Dashboard(programmeId, totals, status, modality, months, sdgs, themes, countries, regions, quiet);
    }

    public async Task<DashboardTotals> TotalsAsync(int? programmeId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var partnerships = await InScope(db, programmeId).CountAsync(cancellationToken);
        var cities = await CitiesInScope(db, programmeId).CountAsync(cancellationToken);
        var exchanges = await ExchangesInScope(db, programmeId).CountAsync(cancellationToken);
        return new DashboardTotals(partnerships, cities, exchanges);
    }

    public async Task<IReadOnlyList<CountBy<PartnershipStatus>>> ByStatusAsync(int? programmeId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await ByStatusAsync(db, programmeId, cancellationToken);
    }

    private static async Task<IReadOnlyList<CountBy<PartnershipStatus>>> ByStatusAsync(CityPairsDbContext db, int? programmeId, CancellationToken cancellationToken)
    {
        var rows = await InScope(db, programmeId).GroupBy(p => p.Status)
            .Select(g => new CountBy<PartnershipStatus>(g.Key, g.Count())).ToListAsync(cancellationToken);
        return [.. rows.OrderBy(r => r.Key)];
    }

    public async Task<IReadOnlyList<CountBy<Modality>>> ByModalityAsync(int? programmeId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await ByModalityAsync(db, programmeId, cancellationToken);
    }

    private static async Task<IReadOnlyList<CountBy<Modality>>> ByModalityAsync(CityPairsDbContext db, int? programmeId, CancellationToken cancellationToken)
    {
        var rows = await InScope(db, programmeId).GroupBy(p => p.Modality)
            .Select(g => new CountBy<Modality>(g.Key, g.Count())).ToListAsync(cancellationToken);
        return [.. rows.OrderBy(r => r.Key)];
    }

    /// <summary>Exchanges by the month they started, the last <see cref="MonthsShown"/> months, months without any included.</summary>
    public async Task<IReadOnlyList<MonthCount>> ExchangesPerMonthAsync(int? programmeId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await ExchangesPerMonthAsync(db, programmeId, Today(), cancellationToken);
    }

    private static async Task<IReadOnlyList<MonthCount>> ExchangesPerMonthAsync(CityPairsDbContext db, int? programmeId, DateOnly today, CancellationToken cancellationToken)
    {
        var first = new DateOnly(today.Year, today.Month, 1).AddMonths(-(MonthsShown - 1));
        var rows = await ExchangesInScope(db, programmeId)
            .Where(e => e.StartsOn >= first && e.StartsOn <= today)
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
        return await SdgCoverageAsync(db, programmeId, cancellationToken);
    }

    private static async Task<IReadOnlyList<CountBy<int>>> SdgCoverageAsync(CityPairsDbContext db, int? programmeId, CancellationToken cancellationToken)
    {
        var rows = await InScope(db, programmeId).SelectMany(p => p.Sdgs).GroupBy(n => n)
            .Select(g => new { Sdg = g.Key, Count = g.Count() }).ToListAsync(cancellationToken);
        return [.. Enumerable.Range(1, 17).Select(n => new CountBy<int>(n, rows.FirstOrDefault(r => r.Sdg == n)?.Count ?? 0))];
    }

    public async Task<IReadOnlyList<ThemeCount>> TopThemesAsync(int? programmeId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await TopThemesAsync(db, programmeId, cancellationToken);
    }

    private static async Task<IReadOnlyList<ThemeCount>> TopThemesAsync(CityPairsDbContext db, int? programmeId, CancellationToken cancellationToken)
    {
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
        return await CountriesAsync(db, programmeId, cancellationToken);
    }

    private static async Task<IReadOnlyList<CountBy<string>>> CountriesAsync(CityPairsDbContext db, int? programmeId, CancellationToken cancellationToken)
    {
        var rows = await (
                from m in MembersInScope(db, programmeId)
                join c in db.Cities on m.CityId equals c.Id
                select new { c.CountryCode, m.PartnershipId })
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
        return await RegionsAsync(db, programmeId, cancellationToken);
    }

    private static async Task<IReadOnlyList<CountBy<Region>>> RegionsAsync(CityPairsDbContext db, int? programmeId, CancellationToken cancellationToken)
    {
        var rows = await CitiesInScope(db, programmeId)
            .GroupBy(c => c.Region)
            .Select(g => new CountBy<Region>(g.Key, g.Count()))
            .ToListAsync(cancellationToken);
        return [.. rows.OrderByDescending(r => r.Count).ThenBy(r => r.Key)];
    }

    /// <summary>Agreed or active partnerships with no exchange started in the last <see cref="QuietMonths"/> months, the quietest first.</summary>
    public async Task<IReadOnlyList<QuietPartnership>> GoneQuietAsync(int? programmeId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return (await QuietAsync(db, programmeId, Today(), limit: null, cancellationToken)).Quietest;
    }

    /// <summary>
    /// "No exchange since" is one probe of the (partnership_id, starts_on) index per partnership; the date of the
    /// last exchange is looked up only for the rows listed. Never an exchange sorts first (as the oldest).
    /// </summary>
    private static async Task<QuietList> QuietAsync(CityPairsDbContext db, int? programmeId, DateOnly today, int? limit, CancellationToken cancellationToken)
    {
        var since = today.AddMonths(-QuietMonths);
        var quiet = InScope(db, programmeId)
            .Where(p => Working.Contains(p.Status))
            .Where(p => !db.Exchanges.Any(e => e.PartnershipId == p.Id && e.StartsOn >= since));
        var listed = quiet
            .Select(p => new
            {
                p.Id, p.Name, p.Status,
                Last = db.Exchanges.Where(e => e.PartnershipId == p.Id).Max(e => (DateOnly?)e.StartsOn),
            })
            .OrderBy(x => x.Last ?? DateOnly.MinValue).ThenBy(x => x.Name);
        var rows = await (limit is int n ? listed.Take(n) : listed).ToListAsync(cancellationToken);
        var count = limit is null || rows.Count < limit ? rows.Count : await quiet.CountAsync(cancellationToken);
        return new QuietList(count, [.. rows.Select(r => new QuietPartnership(r.Id, r.Name, r.Status, r.Last))]);
    }
}
