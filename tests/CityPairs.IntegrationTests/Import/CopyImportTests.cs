using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CityPairs.Domain.Cities;
using CityPairs.Domain.Common;
using CityPairs.TestSupport;
using CityPairs.Web.Features.Accounts;
using CityPairs.Web.Features.Audit;
using CityPairs.Web.Features.Cities;
using CityPairs.Web.Features.Export;
using CityPairs.Web.Features.Import;
using CityPairs.Web.Features.Partnerships;
using Microsoft.EntityFrameworkCore;

namespace CityPairs.IntegrationTests.Import;

/// <summary>The cities import commits by binary COPY; these check it keeps the import's promises.</summary>
public sealed class CopyImportTests(PostgresDatabase database) : DatabaseTest(database)
{
    private ImportService Importer() => Service<ImportService>(TestUsers.Administrator);

    private static Table Cities(int count, int badLine = 0)
    {
        var csv = new StringBuilder("name,country,lat,lng,population,admin_area,languages,sdgs\n");
        for (var line = 2; line < count + 2; line++)
        {
            var latitude = line == badLine ? "123" : (line % 80 - 40).ToString(System.Globalization.CultureInfo.InvariantCulture);
            csv.Append(System.Globalization.CultureInfo.InvariantCulture, $"Copytown {line},PT,{latitude},-8.5,{1000 + line},Norte,\"pt, en\",11;13\n");
        }

        return Table.ReadCsv(csv.ToString());
    }

    [Fact]
    public async Task One_bad_row_among_thousands_writes_nothing()
    {
        var importer = Importer();
        var preview = await importer.PreviewAsync(ImportKind.Cities, Cities(3_000, badLine: 2_500));

        var result = await importer.CommitAsync(preview, new HashSet<int>());

        Assert.False(result.Committed);
        Assert.Equal(2_500, Assert.Single(result.Problems).Line);
        await using var db = Database.CreateDbContext();
        Assert.Equal(0, await db.Cities.CountAsync());
        Assert.Equal(0, await db.AuditEntries.CountAsync());
    }

    [Fact]
    public async Task Imported_cities_each_have_an_audit_entry_naming_who_imported_them_and_the_values()
    {
        var importer = Importer();
        var preview = await importer.PreviewAsync(ImportKind.Cities, Cities(2_000));
        var progress = new List<double>();

        var result = await importer.CommitAsync(preview, new HashSet<int>(), new SynchronousProgress(progress.Add));

        Assert.True(result.Committed, result.Message);
        Assert.Equal(2_000, result.Imported);
        Assert.Equal(1, progress[^1]);
        await using var db = Database.CreateDbContext();
        var city = await db.Cities.AsNoTracking().SingleAsync(c => c.Name == "Copytown 7");
        Assert.Equal(("PT", 1007, "Norte"), (city.CountryCode, city.Population!.Value, city.AdminArea!));
        Assert.Equal(["pt", "en"], city.Languages);
        Assert.Equal([11, 13], city.PrioritySdgs);
        Assert.Equal(2_000, await db.AuditEntries.CountAsync(e => e.EntityType == "City" && e.Action == AuditAction.Created));
        var entry = await db.AuditEntries.SingleAsync(e => e.EntityType == "City" && e.EntityId == city.Id);
        Assert.Equal(("test-admin", "admin@test.local"), (entry.UserId, entry.UserName));
        using var changes = JsonDocument.Parse(entry.Changes);
        Assert.Equal("Copytown 7", changes.RootElement.GetProperty("Name")[1].GetString());
        Assert.Equal("Europe", changes.RootElement.GetProperty("Region")[1].GetString());

        // The identity sequence moved past the copied ids: a city saved through the form after the import gets a new one.
        var service = Service<CityService>(TestUsers.Administrator);
        var saved = await service.CreateAsync(new CityForm { Name = "After Import", CountryCode = "PT", Region = CityPairs.Domain.Common.Region.Europe, Latitude = 1, Longitude = 1 });
        Assert.True(saved.Succeeded);
    }

    [Fact]
    public async Task An_imported_city_s_audit_entry_has_the_shape_of_one_from_a_form_save_of_the_same_city()
    {
        var admin = (await TestUsers.Administrator.GetAsync()).ToAuditActor();
        string saved;
        await using (var db = Database.CreateDbContext())
        {
            db.Actor = admin;
            var city = new City
            {
                Name = "Shapeton", CountryCode = "PT", Region = Region.Europe, AdminArea = "Norte", Kind = CityKind.Region, Population = 1_000,
                Latitude = 41.5, Longitude = -8.5, Languages = ["pt", "en"], Profile = "Notes", PrioritySdgs = [11, 13],
            };
            db.Cities.Add(city);
            await db.SaveChangesAsync();
            var entry = await db.AuditEntries.AsNoTracking().SingleAsync(e => e.EntityType == "City" && e.EntityId == city.Id);
            Assert.Equal(AuditAction.Created, entry.Action);
            saved = entry.Changes;
            await db.Cities.Where(c => c.Id == city.Id).ExecuteDeleteAsync();
            await db.AuditEntries.ExecuteDeleteAsync();
        }

        var importer = Importer();
        var preview = await importer.PreviewAsync(ImportKind.Cities, Table.ReadCsv("""
            name,country,lat,lng,population,admin_area,languages,sdgs,profile,kind
            Shapeton,PT,41.5,-8.5,1000,Norte,"pt, en",11;13,Notes,Region
            """));
        var result = await importer.CommitAsync(preview, new HashSet<int>());

        Assert.True(result.Committed, result.Message);
        await using var read = Database.CreateDbContext();
        var imported = await read.AuditEntries.AsNoTracking().SingleAsync();
        Assert.Equal(("City", AuditAction.Created, admin!.UserId, admin.UserName), (imported.EntityType, imported.Action, imported.UserId, imported.UserName));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(saved), JsonNode.Parse(imported.Changes)), $"form save: {saved}\nimport: {imported.Changes}");
    }

    [Fact]
    public async Task A_cancelled_commit_writes_nothing()
    {
        var importer = Importer();
        var preview = await importer.PreviewAsync(ImportKind.Cities, Cities(5_000));
        using var cancel = new CancellationTokenSource();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            // Past the half way mark the rows are being copied (the first half is checking them again).
            importer.CommitAsync(preview, new HashSet<int>(), new SynchronousProgress(p =>
            {
                if (p > 0.7)
                {
                    cancel.Cancel();
                }
            }), cancel.Token));

        await using var db = Database.CreateDbContext();
        Assert.Equal(0, await db.Cities.CountAsync());
        Assert.Equal(0, await db.AuditEntries.CountAsync());
    }

    private sealed class SynchronousProgress(Action<double> report) : IProgress<double>
    {
        public void Report(double value) => report(value);
    }
}
