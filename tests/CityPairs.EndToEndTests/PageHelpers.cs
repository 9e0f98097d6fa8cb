using CityPairs.Domain.Cities;
using CityPairs.Domain.Common;
using CityPairs.TestSupport;
using CityPairs.Web.Data.Seeding;
using CityPairs.Web.Features.Accounts;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace CityPairs.EndToEndTests;

/// <summary>What several browser tests do: pick from a MudBlazor list, and register a city of their own to change.</summary>
internal static class PageHelpers
{
    /// <summary>Opens a MudSelect and clicks the option with exactly this text.</summary>
    public static async Task ChooseAsync(this IPage page, string testId, string option)
    {
        await page.Locator($"[data-testid={testId}]").ClickAsync();
        await page.Locator(".mud-popover-open").GetByText(option, new() { Exact = true }).ClickAsync();
    }

    /// <summary>
    /// A city only this test uses, as the demo officer would have registered it: claimed for the programmes they
    /// run, so they may edit it (decision 0004). The shared demo data stays as other tests expect it; "Zz" keeps
    /// the city after the demo cities in the default order.
    /// </summary>
    public static async Task<int> AddCityAsync(this PostgresDatabase database, string prefix, string country = "PT")
    {
        await using var db = database.CreateDbContext();
        var city = new City
        {
            Name = $"Zz {prefix} {Guid.NewGuid():N}"[..30],
            CountryCode = country,
            Region = Countries.RegionOf(country)!.Value,
            Latitude = 38.7,
            Longitude = -9.1,
            Profile = "Registered by a browser test.",
            PrioritySdgs = [11],
        };
        db.Cities.Add(city);
        await db.SaveChangesAsync();
        var officerProgrammes = await db.ProgrammeAssignments
            .Where(a => db.Users.Any(u => u.Id == a.UserId && u.Email == DemoAccounts.Officer))
            .Select(a => a.ProgrammeId).ToListAsync();
        db.ProgrammeCities.AddRange(officerProgrammes.Select(p => new ProgrammeCity { ProgrammeId = p, CityId = city.Id }));
        await db.SaveChangesAsync();
        return city.Id;
    }

    public static async Task<City?> FindCityAsync(this PostgresDatabase database, int id)
    {
        await using var db = database.CreateDbContext();
        return await db.Cities.AsNoTracking().Include(c => c.Contacts).SingleOrDefaultAsync(c => c.Id == id);
    }

    public static async Task<City?> FindCityAsync(this PostgresDatabase database, string name)
    {
        await using var db = database.CreateDbContext();
        return await db.Cities.AsNoTracking().Include(c => c.Contacts).SingleOrDefaultAsync(c => c.Name == name);
    }
}
