using CityPairs.TestSupport;
using CityPairs.Web.Data;
using CityPairs.Web.Data.Seeding;
using CityPairs.Web.Features.Matching;
using CityPairs.Web.Features.Partnerships;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CityPairs.IntegrationTests.Matching;

public sealed class TwoInstancesTests(PostgresDatabase database) : DatabaseTest(database)
{
    /// <summary>What one app instance holds for matching: its own snapshot, interceptors and change feed.</summary>
    private ServiceProvider Instance()
    {
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<TimestampInterceptor>();
        services.AddSingleton<MatchingRefreshInterceptor>();
        services.AddPooledDbContextFactory<CityPairsDbContext>((sp, options) =>
        {
            DatabaseSetup.Configure(options, Database.ConnectionString);
            options.AddInterceptors(sp.GetRequiredService<TimestampInterceptor>(), sp.GetRequiredService<MatchingRefreshInterceptor>());
        });
        services.AddSingleton(sp => new MatchingSnapshotCache(Database.Factory, sp.GetRequiredService<ILogger<MatchingSnapshotCache>>()));
        services.AddSingleton<CityChangeFeed>();
        return services.BuildServiceProvider();
    }

    [Fact]
    public async Task A_city_saved_on_one_instance_changes_the_suggestions_of_the_other()
    {
        await using (var db = Database.CreateDbContext())
        {
            await DemoData.SeedAsync(db);
        }

        await using var first = Instance();
        await using var second = Instance();
        var secondFeed = second.GetRequiredService<CityChangeFeed>();
        await secondFeed.StartAsync(CancellationToken.None);
        try
        {
            int tarija;
            await using (var db = Database.CreateDbContext())
            {
                tarija = await db.Cities.Where(c => c.Name == "Tarija").Select(c => c.Id).SingleAsync();
            }

            var matching = new MatchingService(
                second.GetRequiredService<MatchingSnapshotCache>(), Database.Factory, TimeProvider.System,
                TestUsers.As(TestUsers.Principal("test-facilitator", "facilitator@example.org", Web.Features.Accounts.Roles.Facilitator)),
                new PartnershipService(Database.Factory, new PartnershipFormValidator(), TimeProvider.System, TestUsers.Anonymous, Database.Rules()));
            var before = await matching.SuggestAsync(tarija, null, null, null, 5);
            var top = before.Suggestions[0];

            // The first instance archives Tarija's best suggestion.
            await using (var db = await first.GetRequiredService<IDbContextFactory<CityPairsDbContext>>().CreateDbContextAsync())
            {
                var city = await db.Cities.SingleAsync(c => c.Id == top.CandidateId);
                city.IsArchived = true;
                await db.SaveChangesAsync();
            }

            var deadline = DateTime.UtcNow.AddSeconds(15);
            var stillSuggested = true;
            while (stillSuggested && DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
                var now = await matching.SuggestAsync(tarija, null, null, null, 5);
                stillSuggested = now.Suggestions.Any(s => s.CandidateId == top.CandidateId);
            }

            Assert.False(stillSuggested, $"{top.CandidateName} was archived on the first instance but the second still suggests it.");
        }
        finally
        {
            await secondFeed.StopAsync(CancellationToken.None);
        }
    }
}
