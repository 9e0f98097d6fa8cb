using CityPairs.Web.Data;
using CityPairs.Web.Features.Common;
using Microsoft.EntityFrameworkCore;

namespace CityPairs.Web.Features.Gazetteer;

/// <summary>A gazetteer place as the city form's autocomplete offers it; <see cref="AdminArea"/> is the division's name when known.</summary>
public sealed record PlaceSuggestion(
    int GeonameId, string Name, string CountryCode, string? AdminArea, double Latitude, double Longitude, int? Population)
{
    public string Label => GeoNamesReader.Describe(Name, AdminArea, CountryCode, Population);

    public override string ToString() => Label;
}

/// <summary>Suggests places from the gazetteer while someone types a city's name.</summary>
public sealed class GazetteerService(IDbContextFactory<CityPairsDbContext> dbFactory)
{
    public const int MinimumLength = 2;

    /// <summary>
    /// Places whose name contains <paramref name="text"/>, accents and case ignored, largest first; names that
    /// start with it come before names that merely contain it. Served by the trigram index on f_search_form(name).
    /// </summary>
    public async Task<IReadOnlyList<PlaceSuggestion>> SuggestAsync(string? text, int take = 10, CancellationToken cancellationToken = default)
    {
        var term = text?.Trim() ?? "";
        if (term.Length < MinimumLength || term.Length > 200)
        {
            return [];
        }

        take = Math.Clamp(take, 1, 50);
        var contains = LikePattern.Containing(term);
        var prefix = LikePattern.Escape(term) + "%";
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.GazetteerPlaces.AsNoTracking()
            .Where(p => EF.Functions.ILike(CityPairsDbContext.SearchForm(p.Name), CityPairsDbContext.SearchForm(contains)))
            .OrderByDescending(p => EF.Functions.ILike(CityPairsDbContext.SearchForm(p.Name), CityPairsDbContext.SearchForm(prefix)))
            .ThenByDescending(p => p.Population.HasValue)
            .ThenByDescending(p => p.Population)
            .ThenBy(p => p.Name)
            .ThenBy(p => p.GeonameId)
            .Take(take)
            .Select(p => new PlaceSuggestion(
                p.GeonameId, p.Name, p.CountryCode,
                db.GazetteerAdminAreas.Where(a => a.Code == p.CountryCode + "." + p.Admin1Code).Select(a => a.Name).FirstOrDefault(),
                p.Latitude, p.Longitude, p.Population))
            .ToListAsync(cancellationToken);
    }
}
