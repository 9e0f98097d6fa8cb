using CityPairs.Domain.Cities;
using CityPairs.Domain.Common;
using CityPairs.Web.Data;
using CityPairs.Web.Features.Common;
using Microsoft.EntityFrameworkCore;

namespace CityPairs.IntegrationTests;

public sealed class OutageTests
{
    [Fact]
    public async Task A_save_while_the_database_is_unreachable_says_so_instead_of_failing()
    {
        // Port 1 on loopback refuses connections at once: the outage, without waiting for a timeout.
        var options = new DbContextOptionsBuilder<CityPairsDbContext>();
        DatabaseSetup.Configure(options, "Host=127.0.0.1;Port=1;Database=none;Username=x;Password=y;Timeout=2", maxRetryCount: 1);
        await using var db = new CityPairsDbContext(options.Options);
        db.Cities.Add(new City { Name = "Tarija", CountryCode = "BO", Region = Region.LatinAmericaAndCaribbean });

        var result = await SafeSave.SaveAsync(db, () => 1);

        Assert.Equal(SaveProblem.Unavailable, result.Problem);
        Assert.Contains("cannot be reached", result.Message, StringComparison.Ordinal);
        Assert.Contains("what you typed is still here", result.Message, StringComparison.Ordinal);
    }
}
