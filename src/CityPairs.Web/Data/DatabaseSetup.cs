using CityPairs.Web.Data.Seeding;
using CityPairs.Web.Hosting;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace CityPairs.Web.Data;

/// <summary>How the app finds, prepares and talks to its PostgreSQL database.</summary>
public static class DatabaseSetup
{
    public const string ConnectionStringName = "CityPairs";

    public static void Configure(DbContextOptionsBuilder options, string connectionString, int maxRetryCount = 5)
    {
        var breaker = OutageBreaker.For(connectionString);
        options.UseNpgsql(connectionString, npgsql =>
            {
                npgsql.MigrationsHistoryTable("__ef_migrations_history");
                // A record with several child lists loads in one query per list, not one row per combination.
                npgsql.UseQuerySplittingBehavior(QuerySplittingBehavior.SplitQuery);
                // Transient failures (a restarted server, a dropped connection) are retried, unless the server is
                // already known to be down: then the person hears so at once instead of after every retry.
                npgsql.ExecutionStrategy(dependencies =>
                    new OutageAwareExecutionStrategy(dependencies, maxRetryCount, TimeSpan.FromSeconds(5), breaker));
            })
            .UseSnakeCaseNamingConvention()
            .AddInterceptors(breaker.ResetOnOpen);
    }

    /// <summary>
    /// The configured connection string, or in Development a private cluster started from the machine's
    /// PostgreSQL binaries, which the caller stops when it exits if it started it. Throws <see cref="StartupException"/> with one line saying what to do.
    /// </summary>
    public static async Task<(string ConnectionString, LocalPostgresCluster? Cluster)> ResolveConnectionStringAsync(WebApplicationBuilder builder)
    {
        var configured = builder.Configuration.GetConnectionString(ConnectionStringName);
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return (configured, null);
        }

        if (!builder.Environment.IsDevelopment())
        {
            throw new StartupException(
                "No database configured: set ConnectionStrings__CityPairs to a PostgreSQL connection string.");
        }

        if (LocalPostgresCluster.FindServerBinaries() is null)
        {
            throw new StartupException(LocalPostgresCluster.MissingServerMessage);
        }

        var directory = builder.Configuration["LocalPostgres:Directory"] is { Length: > 0 } dir ? dir : LocalPostgresCluster.DefaultAppDirectory();
        LocalPostgresCluster? cluster = null;
        try
        {
            cluster = await LocalPostgresCluster.StartPersistentAsync(directory);
            await cluster.EnsureDatabaseAsync("citypairs");
        }
        catch (Exception ex) when (ex is InvalidOperationException or NpgsqlException or IOException or UnauthorizedAccessException)
        {
            if (cluster is not null)
            {
                await cluster.StopAsync();
            }

            throw new StartupException(
                $"Could not start the local PostgreSQL cluster in {directory}: {ex.Message} " +
                "Fix or delete that folder, set LocalPostgres__Directory to another one, or set ConnectionStrings__CityPairs.");
        }

        await Console.Out.WriteLineAsync($"Using the local PostgreSQL cluster in {cluster.DataDirectory} on port {cluster.Port}.");
        return (cluster.ConnectionString("citypairs"), cluster);
    }

    /// <summary>Applies pending migrations and the reference data every environment needs.</summary>
    public static async Task MigrateAsync(IServiceProvider services, CancellationToken cancellationToken = default)
    {
        var factory = services.GetRequiredService<IDbContextFactory<CityPairsDbContext>>();
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        try
        {
            await db.Database.MigrateAsync(cancellationToken);
        }
        catch (NpgsqlException ex) when (ex is not PostgresException)
        {
            var target = new NpgsqlConnectionStringBuilder(db.Database.GetConnectionString());
            throw new StartupException(
                $"Cannot reach PostgreSQL at {target.Host}:{target.Port} (database '{target.Database}'): {ex.Message} " +
                "Check ConnectionStrings__CityPairs, or unset it in Development to use a local cluster.");
        }

        await ReferenceData.SeedAsync(db, cancellationToken);
        await DemoAccounts.SeedRolesAsync(services);
    }

    public static async Task SeedDemoDataAsync(IServiceProvider services, CancellationToken cancellationToken = default)
    {
        var factory = services.GetRequiredService<IDbContextFactory<CityPairsDbContext>>();
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        await DemoData.SeedAsync(db, cancellationToken);
        await DemoAccounts.SeedAsync(services, cancellationToken);
        await DemoProposals.SeedAsync(services, cancellationToken);
        await Features.Gazetteer.GazetteerSample.SeedAsync(services, cancellationToken);
    }
}

/// <summary>The app cannot start; the message tells the person running it what to install or set.</summary>
public sealed class StartupException(string message) : Exception(message);
