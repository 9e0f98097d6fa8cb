using CityPairs.Web.Data;
using CityPairs.Web.Hosting;
using DotNet.Testcontainers.Builders;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Respawn;
using Testcontainers.PostgreSql;
using Xunit;

namespace CityPairs.TestSupport;

/// <summary>
/// One real PostgreSQL per test run, chosen in this order: the connection string in CITYPAIRS_TEST_DB;
/// a Testcontainers container when a Docker engine answers; otherwise a throwaway cluster from the
/// machine's own PostgreSQL binaries. Never a stand-in: constraints and triggers are part of what we test.
/// </summary>
public sealed class PostgresDatabase : IAsyncLifetime
{
    private const string DatabaseName = "citypairs_tests";
    private PostgreSqlContainer? _container;
    private LocalPostgresCluster? _cluster;
    private Respawner? _respawner;

    public string ConnectionString { get; private set; } = "";

    /// <summary>Which of the three routes this run took, for the test log.</summary>
    public string Source { get; private set; } = "";

    public IDbContextFactory<CityPairsDbContext> Factory { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        ConnectionString = await ChooseServerAsync();
        Factory = new TestDbContextFactory(ConnectionString);

        await using (var db = Factory.CreateDbContext())
        {
            await db.Database.MigrateAsync();
            await Web.Data.Seeding.ReferenceData.SeedAsync(db);
        }

        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        _respawner = await Respawner.CreateAsync(connection, new RespawnerOptions
        {
            DbAdapter = DbAdapter.Postgres,
            SchemasToInclude = ["public"],
            // Reference data is the same for every test; the migration history must survive.
            TablesToIgnore = ["__ef_migrations_history", "sdgs", "themes"],
        });
    }

    /// <summary>Empties every table but the reference data, so each test starts from a known state.</summary>
    public async Task ResetAsync()
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await _respawner!.ResetAsync(connection);
    }

    public CityPairsDbContext CreateDbContext() => Factory.CreateDbContext();

    public async Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (_container is not null)
        {
            await _container.DisposeAsync();
        }

        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }

    private async Task<string> ChooseServerAsync()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable("CITYPAIRS_TEST_DB");
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
        {
            Source = "CITYPAIRS_TEST_DB";
            return fromEnvironment;
        }

        try
        {
            _container = new PostgreSqlBuilder("postgres:15-alpine").WithDatabase(DatabaseName).Build();
            await _container.StartAsync();
            Source = "Testcontainers";
            return _container.GetConnectionString();
        }
        catch (DockerUnavailableException)
        {
            // No Docker engine (as on our Debian machines): use the local server binaries instead.
            _container = null;
        }

        _cluster = await LocalPostgresCluster.StartThrowawayAsync();
        Source = "local cluster";
        return _cluster.ConnectionString(DatabaseName);
    }

    private sealed class TestDbContextFactory(string connectionString) : IDbContextFactory<CityPairsDbContext>
    {
        private readonly TimestampInterceptor _timestamps = new(TimeProvider.System);
        private readonly AuditInterceptor _audit = new(TimeProvider.System);

        public CityPairsDbContext CreateDbContext()
        {
            var options = new DbContextOptionsBuilder<CityPairsDbContext>();
            DatabaseSetup.Configure(options, connectionString);
            options.AddInterceptors(_timestamps, _audit);
            return new CityPairsDbContext(options.Options);
        }
    }
}
