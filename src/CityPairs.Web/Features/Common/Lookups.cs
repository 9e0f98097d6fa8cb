using CityPairs.Domain.Common;
using CityPairs.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace CityPairs.Web.Features.Common;

public sealed record CityOption(int Id, string Name, string CountryCode, Region Region)
{
    public string Label => $"{Name} ({CountryCode})";

    public override string ToString() => Label;
}

public sealed record ThemeOption(int Id, string Name);

public sealed record ProgrammeOption(int Id, string ShortName, string Name);

/// <summary>The short lists forms choose from: cities by search (the registry can be large), themes, programmes.</summary>
public sealed class Lookups(IDbContextFactory<CityPairsDbContext> dbFactory)
{
    public async Task<IReadOnlyList<CityOption>> SearchCitiesAsync(string? text, int limit = 20, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var cities = db.Cities.AsNoTracking().Where(c => !c.IsArchived);
        if (!string.IsNullOrWhiteSpace(text))
        {
            var pattern = LikePattern.Containing(text);
            cities = cities.Where(c => EF.Functions.ILike(CityPairsDbContext.SearchForm(c.Name), CityPairsDbContext.SearchForm(pattern)));
        }

        return await cities.OrderBy(c => c.Name).Take(limit)
            .Select(c => new CityOption(c.Id, c.Name, c.CountryCode, c.Region)).ToListAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<CityOption>> CitiesAsync(IReadOnlyCollection<int> ids, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Cities.AsNoTracking().Where(c => ids.Contains(c.Id))
            .Select(c => new CityOption(c.Id, c.Name, c.CountryCode, c.Region)).ToListAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<ThemeOption>> ThemesAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Themes.AsNoTracking().OrderBy(t => t.Name).Select(t => new ThemeOption(t.Id, t.Name)).ToListAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<ProgrammeOption>> ProgrammesAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Programmes.AsNoTracking().OrderBy(p => p.ShortName)
            .Select(p => new ProgrammeOption(p.Id, p.ShortName, p.Name)).ToListAsync(cancellationToken);
    }
}
