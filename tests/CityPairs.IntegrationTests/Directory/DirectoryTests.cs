using CityPairs.Domain.Partnerships;
using CityPairs.TestSupport;
using CityPairs.Web.Data.ScaleData;
using CityPairs.Web.Features.Directory;
using Microsoft.EntityFrameworkCore;

// Not ".Directory": inside CityPairs.IntegrationTests that name would hide System.IO.Directory in every test.
namespace CityPairs.IntegrationTests.PublicDirectory;

public sealed class DirectoryTests(PostgresDatabase database) : DatabaseTest(database)
{
    [Fact]
    public async Task The_public_directory_pages_through_every_active_partnership_and_nothing_else()
    {
        await new ScaleDataGenerator(Database.ConnectionString, TextWriter.Null)
            .GenerateAsync(new ScaleDataOptions(Cities: 100, Partnerships: 120, Exchanges: 0, Seed: 3), places: null);
        int active;
        await using (var db = Database.CreateDbContext())
        {
            active = await db.Partnerships.CountAsync(p => p.Status == PartnershipStatus.Active && !p.IsArchived);
        }

        var directory = Service<DirectoryService>(TestUsers.Anonymous);
        var seen = new List<int>();
        var first = await directory.ActivePartnershipsAsync(0);
        for (var page = 0; page * DirectoryService.PageSize < first.TotalCount; page++)
        {
            var entries = (await directory.ActivePartnershipsAsync(page)).Items;
            Assert.InRange(entries.Count, 1, DirectoryService.PageSize);
            seen.AddRange(entries.Select(e => e.Id));
        }

        Assert.True(active > DirectoryService.PageSize, "The registry should need more than one page.");
        Assert.Equal(active, first.TotalCount);
        Assert.Equal(DirectoryService.PageSize, first.Items.Count);
        Assert.Equal(active, seen.Distinct().Count());
    }
}
