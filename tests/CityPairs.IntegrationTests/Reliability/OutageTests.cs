using CityPairs.Domain.Cities;
using CityPairs.Domain.Common;
using CityPairs.Web.Data;
using CityPairs.Domain.Partnerships;
using CityPairs.TestSupport;
using CityPairs.Web.Features.Accounts;
using CityPairs.Web.Features.Common;
using CityPairs.Web.Features.Exchanges;
using CityPairs.Web.Features.Partnerships;
using CityPairs.Web.Features.Programmes;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace CityPairs.IntegrationTests.Reliability;

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

    [Fact]
    public async Task Registry_writes_during_an_outage_say_so_instead_of_failing_the_page()
    {
        // Each of these reads before it saves (a duplicate check, the record to change, the user's scope); an
        // outage at that read used to escape as an exception, and the page's error boundary replaced the form.
        var options = new DbContextOptionsBuilder<CityPairsDbContext>();
        DatabaseSetup.Configure(options, "Host=127.0.0.1;Port=1;Database=none;Username=x;Password=y;Timeout=2", maxRetryCount: 1);
        var factory = new PooledDbContextFactory<CityPairsDbContext>(options.Options);
        var rules = new AccessRules(factory);
        var programmes = new ProgrammeService(factory, new ProgrammeFormValidator(), TestUsers.Administrator, rules);
        var partnerships = new PartnershipService(factory, new PartnershipFormValidator(), TimeProvider.System, TestUsers.Administrator, rules);
        var exchanges = new ExchangeService(factory, new ExchangeFormValidator(), TestUsers.Administrator, rules);
        var programme = new ProgrammeForm
        {
            Name = "Zz Outage Programme", ShortName = "ZZO", Funder = "A foundation", StartsOn = "2024-01-01", EndsOn = "2026-12-31",
            Modalities = [Modality.Pairing], Website = "https://example.org",
        };

        ISaveOutcome[] outcomes =
        [
            await programmes.CreateAsync(programme),
            await partnerships.SetArchivedAsync(1, archived: true, version: 1),
            await exchanges.DeleteAsync(1, version: 1),
        ];

        Assert.All(outcomes, outcome =>
        {
            Assert.Equal(SaveProblem.Unavailable, outcome.Problem);
            Assert.Contains("what you typed is still here", outcome.Message, StringComparison.Ordinal);
        });

        // The workbook import answers the same way, so its panel keeps the file for another try.
        var cities = new Web.Features.Cities.CityService(factory, new Web.Features.Cities.CityFormValidator(), TestUsers.Administrator, rules);
        var import = await new Web.Features.Import.PortfolioImport(factory, programmes, cities, partnerships, exchanges, rules, TestUsers.Administrator)
            .CommitAsync(new Dictionary<string, Web.Features.Export.Table>());
        Assert.False(import.Committed);
        Assert.Equal(DatabaseOutage.Message, import.Message);
    }
}
