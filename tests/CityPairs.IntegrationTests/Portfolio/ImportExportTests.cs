using System.Text;
using CityPairs.TestSupport;
using CityPairs.Web.Data.Seeding;
using CityPairs.Web.Features.Cities;
using CityPairs.Web.Features.Export;
using CityPairs.Web.Features.Import;
using CityPairs.Web.Features.Partnerships;
using Microsoft.EntityFrameworkCore;

namespace CityPairs.IntegrationTests.Portfolio;

public sealed class ImportExportTests(PostgresDatabase database) : DatabaseTest(database)
{
    private ImportService Importer() => new(Database.Factory, new CityFormValidator(), new PartnershipFormValidator(), TimeProvider.System);

    private PortfolioExport Exporter() => new(
        Database.Factory, new CityService(Database.Factory, new CityFormValidator(), TestUsers.Administrator, Database.Rules()),
        new PartnershipService(Database.Factory, new PartnershipFormValidator(), TimeProvider.System, TestUsers.Administrator, Database.Rules()));

    private static Table Csv(string text) => Table.ReadCsv(text);

    [Fact]
    public async Task A_file_with_one_bad_row_imports_nothing_and_the_report_names_the_row_and_the_problem()
    {
        var file = Csv("""
            City,Country,Lat,Lng,Population
            Ghent,BE,51.05,3.72,265086
            Leuven,BE,91.5,4.70,102275
            Aarhus,DK,56.16,10.2,
            """);
        var importer = Importer();
        var preview = await importer.PreviewAsync(ImportKind.Cities, file);

        Assert.Equal("City", preview.Mapping["name"]);
        Assert.Equal("Lng", preview.Mapping["longitude"]);
        var bad = Assert.Single(preview.Rows, r => !r.IsValid);
        Assert.Equal(3, bad.Line);
        Assert.Contains("Leuven", bad.Label, StringComparison.Ordinal);
        Assert.Contains(bad.Errors, e => e.Contains("latitude", StringComparison.Ordinal) && e.Contains("between -90 and 90", StringComparison.Ordinal));
        Assert.False(preview.CanCommit(new HashSet<int>()));

        var refused = await importer.CommitAsync(preview, new HashSet<int>());
        Assert.False(refused.Committed);
        Assert.Equal(3, Assert.Single(refused.Problems).Line);
        await using (var db = Database.CreateDbContext())
        {
            Assert.Equal(0, await db.Cities.CountAsync());
        }

        // Excluding the bad row lets the rest in, together.
        var committed = await importer.CommitAsync(preview, new HashSet<int> { 3 });
        Assert.True(committed.Committed, committed.Message);
        await using (var db = Database.CreateDbContext())
        {
            Assert.Equal(["Aarhus", "Ghent"], await db.Cities.OrderBy(c => c.Name).Select(c => c.Name).ToListAsync());
        }
    }

    [Fact]
    public async Task A_partnership_with_an_unknown_member_is_reported_and_nothing_is_written()
    {
        await using (var db = Database.CreateDbContext())
        {
            await DemoData.SeedAsync(db);
        }

        int before;
        await using (var db = Database.CreateDbContext())
        {
            before = await db.Partnerships.CountAsync();
        }

        var preview = await Importer().PreviewAsync(ImportKind.Partnerships, Csv("""
            name,members,status,started_on
            Quito - Riga,"Quito (EC); Riga (LV)",Active,2024-01-15
            Quito - Atlantis,"Quito (EC); Atlantis (GR)",Proposed,2024-02-01
            """));
        var result = await Importer().CommitAsync(preview, new HashSet<int>());

        Assert.False(result.Committed);
        var problem = Assert.Single(result.Problems);
        Assert.Equal(3, problem.Line);
        Assert.Contains(problem.Errors, e => e.Contains("Atlantis (GR)", StringComparison.Ordinal));
        await using (var db = Database.CreateDbContext())
        {
            Assert.Equal(before, await db.Partnerships.CountAsync());
        }
    }

    [Fact]
    public async Task Exported_cities_and_partnerships_import_into_an_empty_database_as_the_same_records()
    {
        await using (var db = Database.CreateDbContext())
        {
            await DemoData.SeedAsync(db);
        }

        var exporter = Exporter();
        var cities = await exporter.CitiesAsync(new CityListQuery());
        var partnerships = await exporter.PartnershipsAsync(new PartnershipListQuery());
        Assert.True(cities.Rows.Count > 20 && partnerships.Rows.Count > 10);
        using var citiesCsv = new MemoryStream();
        await cities.WriteCsvAsync(citiesCsv);
        using var partnershipsXlsx = new MemoryStream();
        await partnerships.WriteXlsxAsync(partnershipsXlsx, "partnerships");
        List<Domain.Programmes.Programme> programmes;
        await using (var db = Database.CreateDbContext())
        {
            programmes = await db.Programmes.AsNoTracking().ToListAsync();
        }

        await Database.ResetAsync();
        // Programmes are not imported from files: the empty database gets the same programmes first.
        await using (var db = Database.CreateDbContext())
        {
            foreach (var p in programmes)
            {
                p.Id = 0;
            }

            db.Programmes.AddRange(programmes);
            await db.SaveChangesAsync();
        }

        var importer = Importer();
        citiesCsv.Position = 0;
        var cityPreview = await importer.PreviewAsync(ImportKind.Cities, ImportService.Read("cities.csv", citiesCsv));
        Assert.Empty(cityPreview.Ignored);
        var cityResult = await importer.CommitAsync(cityPreview, new HashSet<int>());
        Assert.True(cityResult.Committed, cityResult.Message + string.Join(" | ", cityResult.Problems.SelectMany(p => p.Errors)));

        partnershipsXlsx.Position = 0;
        var partnershipPreview = await importer.PreviewAsync(ImportKind.Partnerships, ImportService.Read("partnerships.xlsx", partnershipsXlsx));
        var partnershipResult = await importer.CommitAsync(partnershipPreview, new HashSet<int>());
        Assert.True(partnershipResult.Committed, partnershipResult.Message + string.Join(" | ", partnershipResult.Problems.SelectMany(p => p.Label + ": " + string.Join(", ", p.Errors))));

        var citiesAgain = await Exporter().CitiesAsync(new CityListQuery());
        var partnershipsAgain = await Exporter().PartnershipsAsync(new PartnershipListQuery());
        Assert.Equal(cities.Headers, citiesAgain.Headers);
        Assert.Equal(cities.Rows, citiesAgain.Rows);
        Assert.Equal(partnerships.Rows, partnershipsAgain.Rows);
    }
}
