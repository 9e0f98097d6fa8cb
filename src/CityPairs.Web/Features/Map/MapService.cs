using CityPairs.Domain.Common;
using CityPairs.Domain.Partnerships;
using CityPairs.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace CityPairs.Web.Features.Map;

public sealed record MapFilter(PartnershipStatus? Status = null, int? ProgrammeId = null, Region? Region = null, Modality? Modality = null);

public sealed record MapCity(int Id, string Name, string CountryCode, double Lat, double Lon, int Partnerships);

/// <summary>One partnership: its arcs run from the lead (or first) member to each other member.</summary>
public sealed record MapPartnership(int Id, string Name, string Status, string? Programme, IReadOnlyList<int> CityIds);

public sealed record MapData(IReadOnlyList<MapCity> Cities, IReadOnlyList<MapPartnership> Partnerships);

/// <summary>Cities and partnerships for the map, filtered like the lists (archived records left out).</summary>
public sealed class MapService(IDbContextFactory<CityPairsDbContext> dbFactory)
{
    public async Task<MapData> LoadAsync(MapFilter filter, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var partnerships = db.Partnerships.AsNoTracking().Where(p => !p.IsArchived);
        if (filter.Status is PartnershipStatus status)
        {
            partnerships = partnerships.Where(p => p.Status == status);
        }

        if (filter.ProgrammeId is int programmeId)
        {
            partnerships = partnerships.Where(p => p.Programmes.Any(pp => pp.ProgrammeId == programmeId));
        }

        if (filter.Modality is Modality modality)
        {
            partnerships = partnerships.Where(p => p.Modality == modality);
        }

        if (filter.Region is Region region)
        {
            partnerships = partnerships.Where(p => p.Members.Any(m => db.Cities.Any(c => c.Id == m.CityId && c.Region == region)));
        }

        var rows = await partnerships.OrderBy(p => p.Id)
            .Select(p => new
            {
                p.Id, p.Name, p.Status,
                Programme = p.Programmes.OrderBy(pp => pp.From).Join(db.Programmes, pp => pp.ProgrammeId, pr => pr.Id, (pp, pr) => pr.ShortName).FirstOrDefault(),
                Members = p.Members.OrderBy(m => m.Role).ThenBy(m => m.CityId).Select(m => m.CityId).ToList(),
            })
            .ToListAsync(cancellationToken);

        // With no partnership filter every active city is drawn (a city without partners is still part of the registry).
        var onlyMembers = filter.Status is not null || filter.ProgrammeId is not null || filter.Modality is not null;
        var memberIds = rows.SelectMany(r => r.Members).Distinct().ToList();
        var cities = db.Cities.AsNoTracking().Where(c => !c.IsArchived);
        cities = onlyMembers ? cities.Where(c => memberIds.Contains(c.Id)) : cities;
        if (filter.Region is Region cityRegion && !onlyMembers)
        {
            cities = cities.Where(c => c.Region == cityRegion || memberIds.Contains(c.Id));
        }

        var cityRows = await cities.OrderBy(c => c.Name)
            .Select(c => new MapCity(c.Id, c.Name, c.CountryCode, c.Latitude, c.Longitude, 0))
            .ToListAsync(cancellationToken);
        var counts = rows.SelectMany(r => r.Members).GroupBy(id => id).ToDictionary(g => g.Key, g => g.Count());
        var known = cityRows.Select(c => c.Id).ToHashSet();
        return new MapData(
            [.. cityRows.Select(c => c with { Partnerships = counts.GetValueOrDefault(c.Id) })],
            [.. rows.Select(r => new MapPartnership(r.Id, r.Name, r.Status.ToString(), r.Programme, [.. r.Members.Where(known.Contains)]))
                .Where(p => p.CityIds.Count >= 2)]);
    }
}
