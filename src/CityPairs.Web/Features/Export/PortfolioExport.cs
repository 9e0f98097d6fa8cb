using System.Globalization;
using System.Text.Json;
using CityPairs.Domain.Common;
using CityPairs.Domain.Partnerships;
using CityPairs.Web.Data;
using CityPairs.Web.Features.Cities;
using CityPairs.Web.Features.Common;
using CityPairs.Web.Features.Partnerships;
using Microsoft.EntityFrameworkCore;

namespace CityPairs.Web.Features.Export;

/// <summary>
/// The Cities and Partnerships lists as files. The rows are chosen by the lists' own services (same filters,
/// same order, every page), then read in full; the headings are the ones the importer reads back.
/// </summary>
public sealed class PortfolioExport(IDbContextFactory<CityPairsDbContext> dbFactory, CityService cities, PartnershipService partnerships)
{
    public static readonly string[] CityColumns =
        ["name", "country_code", "region", "admin_area", "kind", "population", "latitude", "longitude", "languages", "priority_sdgs", "profile"];

    public static readonly string[] PartnershipColumns =
        ["name", "modality", "status", "started_on", "ended_on", "discontinuation_reason", "members", "programmes", "themes", "sdgs", "description", "exit_strategy"];

    private sealed record CityRow(int Id, string Name, string CountryCode, Region Region, string? AdminArea, string Kind, int? Population,
        double Latitude, double Longitude, List<string> Languages, List<int> PrioritySdgs, string Profile);

    public async Task<Table> CitiesAsync(CityListQuery query, CancellationToken cancellationToken = default)
    {
        var rows = await CityRowsAsync(query, cancellationToken);
        return new Table(CityColumns, [.. rows.Select(c => (IReadOnlyList<string>)[
            c.Name, c.CountryCode, c.Region.ToString(), c.AdminArea ?? "", c.Kind, Number(c.Population), Number(c.Latitude), Number(c.Longitude),
            Table.Join(c.Languages), Table.Join(c.PrioritySdgs), c.Profile])]);
    }

    public async Task<Table> PartnershipsAsync(PartnershipListQuery query, CancellationToken cancellationToken = default)
    {
        var ids = await AllPagesAsync(page => partnerships.ListAsync(query with { Page = page, PageSize = PartnershipService.MaxPageSize }, cancellationToken), p => p.Id);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rows = await db.Partnerships.AsNoTracking().Where(p => ids.Contains(p.Id))
            .Select(p => new
            {
                p.Id, p.Name, p.Modality, p.Status, p.StartedOn, p.EndedOn, p.DiscontinuationReason, p.Description, p.ExitStrategy, p.Sdgs,
                Members = p.Members.OrderBy(m => m.Role).Join(db.Cities, m => m.CityId, c => c.Id, (m, c) => new { c.Name, c.CountryCode, m.Role }).ToList(),
                Programmes = p.Programmes.Join(db.Programmes, pp => pp.ProgrammeId, pr => pr.Id, (pp, pr) => pr.ShortName).ToList(),
                Themes = p.Themes.OrderBy(t => t.Name).Select(t => t.Name).ToList(),
            })
            .ToListAsync(cancellationToken);
        var order = ids.Select((id, i) => (id, i)).ToDictionary(x => x.id, x => x.i);
        return new Table(PartnershipColumns, [.. rows.OrderBy(r => order[r.Id]).Select(p => (IReadOnlyList<string>)[
            p.Name, p.Modality.ToString(), p.Status.ToString(), Date(p.StartedOn), Date(p.EndedOn), p.DiscontinuationReason ?? "",
            Table.Join(p.Members.OrderBy(m => m.Role).ThenBy(m => m.Name, StringComparer.Ordinal).Select(m => $"{m.Name} ({m.CountryCode}) [{m.Role}]")),
            Table.Join(p.Programmes.Order(StringComparer.Ordinal)), Table.Join(p.Themes), Table.Join(p.Sdgs.Order()), p.Description, p.ExitStrategy])]);
    }

    /// <summary>Cities as GeoJSON points (RFC 7946: longitude first).</summary>
    public async Task<object> CitiesGeoJsonAsync(CityListQuery query, CancellationToken cancellationToken = default)
    {
        var rows = await CityRowsAsync(query, cancellationToken);
        return new
        {
            type = "FeatureCollection",
            features = rows.Select(c => new
            {
                type = "Feature",
                id = c.Id,
                geometry = new { type = "Point", coordinates = new[] { c.Longitude, c.Latitude } },
                properties = new { c.Name, countryCode = c.CountryCode, region = c.Region.ToString(), c.Population, prioritySdgs = c.PrioritySdgs },
            }),
        };
    }

    /// <summary>Partnerships as GeoJSON lines from the lead (or first) member to each other member.</summary>
    public async Task<object> PartnershipsGeoJsonAsync(PartnershipListQuery query, CancellationToken cancellationToken = default)
    {
        var ids = await AllPagesAsync(page => partnerships.ListAsync(query with { Page = page, PageSize = PartnershipService.MaxPageSize }, cancellationToken), p => p.Id);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rows = await db.Partnerships.AsNoTracking().Where(p => ids.Contains(p.Id)).OrderBy(p => p.Name)
            .Select(p => new
            {
                p.Id, p.Name, p.Status, p.Modality, p.Sdgs,
                Members = p.Members.OrderBy(m => m.Role).ThenBy(m => m.CityId)
                    .Join(db.Cities, m => m.CityId, c => c.Id, (m, c) => new { c.Id, c.Name, c.Longitude, c.Latitude }).ToList(),
            })
            .ToListAsync(cancellationToken);
        return new
        {
            type = "FeatureCollection",
            features = rows.Select(p => new
            {
                type = "Feature",
                id = p.Id,
                geometry = new
                {
                    type = "MultiLineString",
                    coordinates = p.Members.Skip(1).Select(m => new[]
                    {
                        new[] { p.Members[0].Longitude, p.Members[0].Latitude }, new[] { m.Longitude, m.Latitude },
                    }),
                },
                properties = new
                {
                    p.Name, status = p.Status.ToString(), modality = p.Modality.ToString(), sdgs = p.Sdgs,
                    members = p.Members.Select(m => new { id = m.Id, name = m.Name }),
                },
            }),
        };
    }

    private async Task<List<CityRow>> CityRowsAsync(CityListQuery query, CancellationToken cancellationToken)
    {
        var ids = await AllPagesAsync(page => cities.ListAsync(query with { Page = page, PageSize = CityService.MaxPageSize }, cancellationToken), c => c.Id);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rows = await db.Cities.AsNoTracking().Where(c => ids.Contains(c.Id))
            .Select(c => new CityRow(c.Id, c.Name, c.CountryCode, c.Region, c.AdminArea, c.Kind.ToString(), c.Population, c.Latitude, c.Longitude,
                c.Languages, c.PrioritySdgs, c.Profile))
            .ToListAsync(cancellationToken);
        var order = ids.Select((id, i) => (id, i)).ToDictionary(x => x.id, x => x.i);
        return [.. rows.OrderBy(r => order[r.Id])];
    }

    private static async Task<List<int>> AllPagesAsync<T>(Func<int, Task<Page<T>>> load, Func<T, int> id)
    {
        var ids = new List<int>();
        for (var page = 0; ; page++)
        {
            var result = await load(page);
            ids.AddRange(result.Items.Select(id));
            if (result.Items.Count == 0 || ids.Count >= result.TotalCount)
            {
                return ids;
            }
        }
    }

    private static string Number(int? n) => n?.ToString(CultureInfo.InvariantCulture) ?? "";

    private static string Number(double n) => n.ToString("R", CultureInfo.InvariantCulture);

    private static string Date(DateOnly? d) => d?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "";

    public static JsonSerializerOptions GeoJsonOptions { get; } = new(JsonSerializerDefaults.Web);
}
