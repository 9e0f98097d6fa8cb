using System.Data.Common;
using System.Net;
using System.Net.Sockets;
using CityPairs.Web.Data;
using CityPairs.Web.Features.Common;
using CityPairs.Web.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Storage;

namespace CityPairs.IntegrationTests.Reliability;

/// <summary>
/// Once EF Core's retries have shown the server to be down, later operations are not retried again one by one:
/// a save that reads three times used to make the person wait out three retry periods. Counted in connection
/// attempts, not seconds.
/// </summary>
public sealed class OutageBreakerTests
{
    private const int Retries = 2;

    [Fact]
    public async Task After_one_operation_used_up_its_retries_the_next_tries_once_and_says_the_database_is_unreachable()
    {
        var attempts = new FailedConnections();
        var connectionString = $"Host=127.0.0.1;Port={RefusedPort()};Database=none;Username=x;Password=y;Timeout=2";

        var first = await Assert.ThrowsAsync<RetryLimitExceededException>(() => QueryAsync(connectionString, attempts));
        Assert.True(DatabaseOutage.Is(first));
        Assert.Equal(1 + Retries, attempts.Count);

        var second = await Assert.ThrowsAnyAsync<Exception>(() => QueryAsync(connectionString, attempts));
        Assert.True(DatabaseOutage.Is(second));
        Assert.Equal(1 + Retries + 1, attempts.Count);
    }

    [Fact]
    public async Task When_the_server_is_back_the_first_connection_closes_the_breaker_and_a_later_outage_is_retried_again()
    {
        await using var cluster = await LocalPostgresCluster.StartThrowawayAsync();
        // Without pooling every attempt opens a real connection, so the attempts can be counted.
        var connectionString = cluster.ConnectionString("postgres") + ";Pooling=false";
        var attempts = new FailedConnections();
        await QueryAsync(connectionString, attempts);

        await cluster.PauseAsync();
        await Assert.ThrowsAsync<RetryLimitExceededException>(() => QueryAsync(connectionString, attempts));
        var afterFirstOutage = attempts.Count;
        Assert.Equal(1 + Retries, afterFirstOutage);
        await Assert.ThrowsAnyAsync<Exception>(() => QueryAsync(connectionString, attempts));
        Assert.Equal(afterFirstOutage + 1, attempts.Count);

        await cluster.ResumeAsync();
        Assert.Equal(1, await QueryAsync(connectionString, attempts));

        await cluster.PauseAsync();
        var beforeSecondOutage = attempts.Count;
        await Assert.ThrowsAsync<RetryLimitExceededException>(() => QueryAsync(connectionString, attempts));
        Assert.Equal(beforeSecondOutage + 1 + Retries, attempts.Count);
        await cluster.ResumeAsync();
    }

    private static async Task<int> QueryAsync(string connectionString, FailedConnections attempts)
    {
        var options = new DbContextOptionsBuilder<CityPairsDbContext>();
        DatabaseSetup.Configure(options, connectionString, maxRetryCount: Retries);
        options.AddInterceptors(attempts);
        await using var db = new CityPairsDbContext(options.Options);
        return await db.Database.SqlQueryRaw<int>("SELECT 1 AS \"Value\"").SingleAsync();
    }

    // A loopback port that nothing listens on refuses at once: an outage without waiting for a timeout.
    private static int RefusedPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private sealed class FailedConnections : DbConnectionInterceptor
    {
        private int _count;

        public int Count => Volatile.Read(ref _count);

        public override void ConnectionFailed(DbConnection connection, ConnectionErrorEventData eventData) => Interlocked.Increment(ref _count);

        public override Task ConnectionFailedAsync(DbConnection connection, ConnectionErrorEventData eventData, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _count);
            return Task.CompletedTask;
        }
    }
}
