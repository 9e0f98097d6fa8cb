using CityPairs.Domain.Cities;
using CityPairs.Domain.Common;
using CityPairs.TestSupport;
using CityPairs.Web.Data.ScaleData;
using CityPairs.Web.Data.Seeding;
using Microsoft.EntityFrameworkCore;

namespace CityPairs.IntegrationTests.Data;

public sealed class ScaleDataTests(PostgresDatabase database) : DatabaseTest(database)
{
    [Fact]
    public async Task The_generator_fills_a_registry_the_app_can_read_and_keep_adding_to()
    {
        var gazetteer = Path.GetTempFileName();
        await File.WriteAllTextAsync(gazetteer, """
            [{"name":"Gent","lat":"51.05","lng":"3.71667","country":"BE"},
             {"name":"Gent","lat":"51.05","lng":"3.71667","country":"BE"},
             {"name":"Cusco","lat":"-13.52264","lng":"-71.96734","country":"PE"},
             {"name":"Barcelona","lat":"10.13625","lng":"-64.68618","country":"VE"},
             {"name":"Nowhere","lat":"1","lng":"1","country":"ZZ"}]
            """);
        var places = await Gazetteer.LoadAsync(gazetteer);
        File.Delete(gazetteer);

        var summary = await new ScaleDataGenerator(Database.ConnectionString, TextWriter.Null)
            .GenerateAsync(new ScaleDataOptions(Cities: 300, Partnerships: 200, Exchanges: 2_000, Seed: 7), places);

        // Duplicates and unknown countries are dropped from the gazetteer; the rest are real names.
        Assert.Equal(["Barcelona", "Cusco", "Gent"], places.Select(p => p.Name).Order());
        Assert.Equal((300, 200, 2_000), (summary.Cities, summary.Partnerships, summary.Exchanges));
        await using var db = Database.CreateDbContext();
        Assert.Equal(300, await db.Cities.CountAsync());
        Assert.True(await db.Cities.AnyAsync(c => c.Name == "Gent" && c.CountryCode == "BE"));

        // EF reads what COPY wrote, JSON columns included, and every lifecycle ends where its history does.
        var exchanges = await db.Exchanges.Take(50).ToListAsync();
        Assert.All(exchanges, e => Assert.NotEmpty(e.Participants));
        var partnerships = await db.Partnerships.Include(p => p.Members).Include(p => p.StatusHistory).ToListAsync();
        Assert.All(partnerships, p =>
        {
            Assert.True(p.Members.Count >= 2);
            Assert.Equal(p.Status, p.StatusHistory.OrderBy(h => h.On).ThenBy(h => h.Id).Last().To);
        });

        // The demo data still loads on top of a generated registry (same names in other countries included).
        await DemoData.SeedAsync(db);
        Assert.True(await db.Partnerships.AnyAsync(p => p.Name == "Brasschaat - Tarija"));

        // The identity sequences were moved past the copied ids: the app can register a city afterwards.
        db.Cities.Add(new City { Name = "Added after generating", CountryCode = "BE", Region = Region.Europe });
        await db.SaveChangesAsync();
        Assert.True(await db.Cities.AnyAsync(c => c.Name == "Added after generating"));
    }
}
