using CityPairs.Web.Features.Common;
using CityPairs.Domain.Common;
using CityPairs.Web.Data;
using CityPairs.Web.Features.Accounts;
using FluentValidation;
using Microsoft.EntityFrameworkCore;

namespace CityPairs.Web.Features.Cities;

public enum CitySort
{
    Name,
    Country,
    Region,
    Population,
}

public sealed record CityListQuery(
    string? Search = null,
    CitySort SortBy = CitySort.Name,
    bool Descending = false,
    int Page = 0,
    int PageSize = 25,
    bool IncludeArchived = false,
    string? CountryCode = null,
    Region? Region = null,
    int? Sdg = null,
    int? ThemeId = null,
    int? ProgrammeId = null);

public sealed record CityListItem(
    int Id, string Name, string CountryCode, string CountryName, Region Region, string? AdminArea, int? Population,
    IReadOnlyList<int> PrioritySdgs, int PartnershipCount, bool IsArchived = false);

/// <summary>Reads and changes the city registry for the Cities pages.</summary>
public sealed partial class CityService(
    IDbContextFactory<CityPairsDbContext> dbFactory, IValidator<CityForm> validator, ICurrentUser currentUser, AccessRules rules,
    ILogger<CityService>? logger = null)
{
    private readonly PortfolioWrite _write = new(dbFactory, currentUser, logger);

    public const int MaxPageSize = 100;

    public async Task<Page<CityListItem>> ListAsync(CityListQuery query, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var cities = db.Cities.AsNoTracking();
        if (!query.IncludeArchived)
        {
            cities = cities.Where(c => !c.IsArchived);
        }

        if (!string.IsNullOrWhiteSpace(query.CountryCode))
        {
            var country = query.CountryCode.Trim().ToUpperInvariant();
            cities = cities.Where(c => c.CountryCode == country);
        }

        if (query.Region is { } region)
        {
            cities = cities.Where(c => c.Region == region);
        }

        if (query.Sdg is { } sdg)
        {
            cities = cities.Where(c => c.PrioritySdgs.Contains(sdg));
        }

        if (query.ThemeId is { } themeId)
        {
            cities = cities.Where(c => c.Themes.Any(t => t.ThemeId == themeId));
        }

        if (query.ProgrammeId is { } programmeId)
        {
            // A city is "in" a programme through its partnerships that run under it.
            cities = cities.Where(c => db.Partnerships.Any(p =>
                p.Programmes.Any(pp => pp.ProgrammeId == programmeId) && p.Members.Any(m => m.CityId == c.Id)));
        }

        if (!string.IsNullOrWhiteSpace(query.Search))
        {
            // Accent- and case-insensitive, so "medellin" finds Medellín; a two-letter search also matches a country code.
            var pattern = LikePattern.Containing(query.Search);
            var code = query.Search.Trim().ToUpperInvariant();
            cities = cities.Where(c =>
                EF.Functions.ILike(CityPairsDbContext.SearchForm(c.Name), CityPairsDbContext.SearchForm(pattern)) ||
                (c.AdminArea != null && EF.Functions.ILike(CityPairsDbContext.SearchForm(c.AdminArea), CityPairsDbContext.SearchForm(pattern))) ||
                c.CountryCode == code);
        }

        var total = await cities.CountAsync(cancellationToken);

        cities = (query.SortBy, query.Descending) switch
        {
            (CitySort.Country, false) => cities.OrderBy(c => c.CountryCode).ThenBy(c => c.Name),
            (CitySort.Country, true) => cities.OrderByDescending(c => c.CountryCode).ThenBy(c => c.Name),
            (CitySort.Region, false) => cities.OrderBy(c => c.Region).ThenBy(c => c.Name),
            (CitySort.Region, true) => cities.OrderByDescending(c => c.Region).ThenBy(c => c.Name),
            // Unknown populations go last either way (PostgreSQL would put NULLs first when descending).
            (CitySort.Population, false) => cities.OrderBy(c => c.Population == null).ThenBy(c => c.Population).ThenBy(c => c.Name),
            (CitySort.Population, true) => cities.OrderBy(c => c.Population == null).ThenByDescending(c => c.Population).ThenBy(c => c.Name),
            (_, true) => cities.OrderByDescending(c => c.Name).ThenBy(c => c.Id),
            _ => cities.OrderBy(c => c.Name).ThenBy(c => c.Id),
        };

        var pageSize = Math.Clamp(query.PageSize, 1, MaxPageSize);
        var rows = await cities
            .Skip(Math.Max(query.Page, 0) * pageSize)
            .Take(pageSize)
            .Select(c => new
            {
                c.Id, c.Name, c.CountryCode, c.Region, c.AdminArea, c.Population, c.PrioritySdgs, c.IsArchived,
                PartnershipCount = db.Partnerships.Count(p => p.Members.Any(m => m.CityId == c.Id)),
            })
            .ToListAsync(cancellationToken);

        return new Page<CityListItem>(
            [.. rows.Select(r => new CityListItem(r.Id, r.Name, r.CountryCode, Countries.NameOf(r.CountryCode), r.Region,
                r.AdminArea, r.Population, r.PrioritySdgs, r.PartnershipCount, r.IsArchived))],
            total);
    }
}
