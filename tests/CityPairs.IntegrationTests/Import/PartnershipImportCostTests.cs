using System.Data.Common;
using System.Text;
using CityPairs.TestSupport;
using CityPairs.Web.Data;
using CityPairs.Web.Data.Seeding;
using CityPairs.Web.Features.Accounts;
using CityPairs.Web.Features.Cities;
using CityPairs.Web.Features.Export;
using CityPairs.Web.Features.Import;
using CityPairs.Web.Features.Partnerships;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace CityPairs.IntegrationTests.Import;

/// <summary>
/// The partnership import's preview reads what the writer's checks need once per file, not per row: the number of
/// database commands does not grow with the number of rows.
/// </summary>
public sealed class PartnershipImportCostTests(PostgresDatabase database) : DatabaseTest(database)
{
    [Fact]
    public async Task Previewing_four_times_as_many_rows_issues_no_more_database_commands()
    {
        await using (var db = Database.CreateDbContext())
        {
            await DemoData.SeedAsync(db);
        }

        List<(string Name, string CountryCode)> cities;
        await using (var db = Database.CreateDbContext())
        {
            cities = [.. (await db.Cities.Where(c => !c.IsArchived).OrderBy(c => c.Id).Select(c => new { c.Name, c.CountryCode }).ToListAsync())
                .Select(c => (c.Name, c.CountryCode))];
        }

        var small = await CommandsToPreviewAsync(cities, rows: 20);
        var large = await CommandsToPreviewAsync(cities, rows: 80);

        Assert.True(small.Valid == 20 && large.Valid == 80, $"{small.Valid} and {large.Valid} rows passed the checks");
        // Before, each row asked the database about four times (members, programmes, themes, the officer's programmes).
        Assert.Equal(small.Commands, large.Commands);
        Assert.True(large.Commands < 20, $"{large.Commands} commands for 80 rows");
    }

    private async Task<(int Commands, int Valid)> CommandsToPreviewAsync(List<(string Name, string CountryCode)> cities, int rows)
    {
        var csv = new StringBuilder("name,members,status,started_on\n");
        for (var i = 0; i < rows; i++)
        {
            var (a, b) = (cities[i % cities.Count], cities[(i + 1) % cities.Count]);
            csv.Append(System.Globalization.CultureInfo.InvariantCulture, $"\"Pair {i}\",\"{a.Name} ({a.CountryCode}); {b.Name} ({b.CountryCode})\",Active,2024-01-15\n");
        }

        var counter = new CommandCounter();
        var options = new DbContextOptionsBuilder<CityPairsDbContext>();
        DatabaseSetup.Configure(options, Database.ConnectionString);
        options.AddInterceptors(counter);
        var factory = new PooledDbContextFactory<CityPairsDbContext>(options.Options);
        var rules = new AccessRules(factory);
        var partnerships = new PartnershipService(factory, new PartnershipFormValidator(), TimeProvider.System, TestUsers.Administrator, rules);
        var import = new ImportService(
            new CityImport(factory, new CityFormValidator(), TimeProvider.System), new PartnershipImport(factory, partnerships, TestUsers.Administrator));

        var preview = await import.PreviewAsync(ImportKind.Partnerships, Table.ReadCsv(csv.ToString()));
        return (counter.Count, preview.Rows.Count(r => r.IsValid));
    }

    private sealed class CommandCounter : DbCommandInterceptor
    {
        private int _count;

        public int Count => _count;

        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
            DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _count);
            return base.ReaderExecutingAsync(command, eventData, result, cancellationToken);
        }

        public override ValueTask<InterceptionResult<object>> ScalarExecutingAsync(
            DbCommand command, CommandEventData eventData, InterceptionResult<object> result, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _count);
            return base.ScalarExecutingAsync(command, eventData, result, cancellationToken);
        }

        public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(
            DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _count);
            return base.NonQueryExecutingAsync(command, eventData, result, cancellationToken);
        }
    }
}
