using CityPairs.Domain.Partnerships;
using CityPairs.TestSupport;
using CityPairs.Web.Data.Seeding;
using Microsoft.EntityFrameworkCore;

namespace CityPairs.IntegrationTests.Data;

public sealed class DemoDataTests(PostgresDatabase database) : DatabaseTest(database)
{
    [Fact]
    public async Task Demo_data_holds_the_real_partnerships_from_the_seeds()
    {
        await SeedAsync();
        await using var db = Database.CreateDbContext();

        var tarija = await db.Cities.SingleAsync(c => c.Name == "Tarija");
        Assert.Equal("BO", tarija.CountryCode);
        Assert.InRange(tarija.Latitude, -22, -21);

        var edegem = await db.Partnerships.Include(p => p.StatusHistory).SingleAsync(p => p.Name == "Edegem - San Jerónimo");
        Assert.Equal(PartnershipStatus.Discontinued, edegem.Status);
        Assert.Contains("symbolic sister-city bond remains", edegem.DiscontinuationReason, StringComparison.Ordinal);

        var barcelonaMedellin = await db.Partnerships.Include(p => p.Agreements).SingleAsync(p => p.Name == "Barcelona - Medellín");
        Assert.Equal(new DateOnly(2013, 4, 15), Assert.Single(barcelonaMedellin.Agreements).SignedOn);

        Assert.Equal(8, await db.Partnerships.CountAsync(p => p.Programmes.Any(pp => db.Programmes.Any(pr => pr.Id == pp.ProgrammeId && pr.ShortName == "WC"))));
        Assert.True(await db.Exchanges.AnyAsync(e => e.Title.Contains("Shimokawa")));
    }

    [Fact]
    public async Task Seeding_twice_changes_nothing()
    {
        await SeedAsync();
        var before = await SnapshotAsync();

        await SeedAsync();

        Assert.Equal(before, await SnapshotAsync());
    }

    private async Task SeedAsync()
    {
        await using var db = Database.CreateDbContext();
        await DemoData.SeedAsync(db);
    }

    /// <summary>Every row's id and xmin: any insert, update or delete changes it.</summary>
    private async Task<string> SnapshotAsync()
    {
        await using var db = Database.CreateDbContext();
        var tables = new[]
        {
            "cities", "city_themes", "city_contacts", "programmes", "partnerships", "partnership_members",
            "partnership_programmes", "partnership_agreements", "partnership_status_changes", "partnership_themes", "exchanges",
        };
        var parts = new List<string>();
        foreach (var table in tables)
        {
            // Table names come from the fixed list above, never from input.
            var sql = "SELECT string_agg(ctid::text || ':' || xmin::text, ',' ORDER BY ctid) AS \"Value\" FROM " + table;
            var rows = await db.Database.SqlQueryRaw<string>(sql).SingleAsync();
            parts.Add($"{table}={rows}");
        }

        return string.Join('\n', parts);
    }
}
