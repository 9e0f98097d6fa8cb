using System.Collections.Concurrent;
using CityPairs.Domain.Cities;
using CityPairs.Domain.Common;
using CityPairs.Web.Data;
using CityPairs.Web.Data.Seeding;
using CityPairs.Web.Features.Common;
using CityPairs.Web.Hosting;
using Microsoft.EntityFrameworkCore;
using Xunit.Abstractions;

namespace CityPairs.IntegrationTests.Reliability;

/// <summary>
/// PostgreSQL restarts while writers keep saving. Runs on its own throwaway cluster (it restarts the
/// server), so it needs the machine's PostgreSQL binaries, as every path of the test fixture does here.
/// </summary>
public sealed class RestartTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_restart_under_load_loses_no_acknowledged_write_and_writes_resume_without_an_app_restart()
    {
        await using var cluster = await LocalPostgresCluster.StartThrowawayAsync();
        var connectionString = cluster.ConnectionString("restart_test");
        CityPairsDbContext NewContext()
        {
            var options = new DbContextOptionsBuilder<CityPairsDbContext>();
            DatabaseSetup.Configure(options, connectionString);
            return new CityPairsDbContext(options.Options);
        }

        await using (var db = NewContext())
        {
            await db.Database.MigrateAsync();
            await ReferenceData.SeedAsync(db);
        }

        var acknowledged = new ConcurrentBag<string>();
        var unavailable = 0;
        var restartedAt = DateTimeOffset.MaxValue;
        var acknowledgedAfterRestart = 0;
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(12));

        async Task WriterAsync(int writer)
        {
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                var name = $"Writer {writer} city {i}";
                await using var db = NewContext();
                db.Cities.Add(new City { Name = name, CountryCode = "BO", Region = Region.LatinAmericaAndCaribbean });
                var result = await SafeSave.SaveAsync(db, () => name);
                if (result.Succeeded)
                {
                    acknowledged.Add(name);
                    if (DateTimeOffset.UtcNow > restartedAt)
                    {
                        Interlocked.Increment(ref acknowledgedAfterRestart);
                    }
                }
                else
                {
                    Assert.Equal(SaveProblem.Unavailable, result.Problem);
                    Interlocked.Increment(ref unavailable);
                }
            }
        }

        var writers = Enumerable.Range(1, 4).Select(w => Task.Run(() => WriterAsync(w))).ToList();
        await Task.Delay(TimeSpan.FromSeconds(3));
        await cluster.RestartAsync();
        restartedAt = DateTimeOffset.UtcNow;
        await Task.WhenAll(writers);

        await using var check = NewContext();
        var stored = (await check.Cities.Select(c => c.Name).ToListAsync()).ToHashSet();
        output.WriteLine($"acknowledged {acknowledged.Count}, after restart {acknowledgedAfterRestart}, refused as unavailable {unavailable}, stored {stored.Count}");
        Assert.All(acknowledged, name => Assert.Contains(name, stored));
        Assert.True(acknowledgedAfterRestart > 0, "Writes resumed after the restart without restarting the app.");
    }
}
