using System.Collections.Concurrent;
using System.Data.Common;
using CityPairs.Web.Features.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using Npgsql.EntityFrameworkCore.PostgreSQL;

namespace CityPairs.Web.Data;

/// <summary>
/// What the app has learnt about its database server being down. EF Core retries every operation on its own
/// (about 15 seconds before it gives up), and a save reads several times before it writes, so during an outage
/// each person waited a minute or more for "cannot be reached". Once one operation has used up its retries, the
/// server is known to be down: every later operation tries once and fails at once, until a connection opens
/// again. One breaker per server (host and port), shared by every context and app instance that talks to it.
/// </summary>
public sealed class OutageBreaker
{
    private static readonly ConcurrentDictionary<string, OutageBreaker> Servers = new(StringComparer.OrdinalIgnoreCase);
    private volatile bool _open;

    private OutageBreaker() => ResetOnOpen = new ResetInterceptor(this);

    public static OutageBreaker For(string connectionString)
    {
        var target = new NpgsqlConnectionStringBuilder(connectionString);
        return Servers.GetOrAdd($"{target.Host}:{target.Port}", _ => new OutageBreaker());
    }

    /// <summary>True while the server is known to be unreachable: operations are not retried.</summary>
    public bool IsOpen => _open;

    internal void Trip() => _open = true;

    internal void Reset() => _open = false;

    /// <summary>Any connection that opens proves the server is back.</summary>
    internal DbConnectionInterceptor ResetOnOpen { get; }

    private sealed class ResetInterceptor(OutageBreaker breaker) : DbConnectionInterceptor
    {
        public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => breaker.Reset();

        public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
        {
            breaker.Reset();
            return Task.CompletedTask;
        }
    }
}

/// <summary>Npgsql's retrying strategy, told by the <see cref="OutageBreaker"/> when retrying is pointless.</summary>
internal sealed class OutageAwareExecutionStrategy(ExecutionStrategyDependencies dependencies, int maxRetryCount, TimeSpan maxRetryDelay, OutageBreaker breaker)
    : NpgsqlRetryingExecutionStrategy(dependencies, maxRetryCount, maxRetryDelay, errorCodesToAdd: null)
{
    protected override bool ShouldRetryOn(Exception? exception) => !breaker.IsOpen && base.ShouldRetryOn(exception);

    protected override TimeSpan? GetNextDelay(Exception lastException)
    {
        var delay = base.GetNextDelay(lastException);
        if (delay is null && DatabaseOutage.Is(lastException))
        {
            breaker.Trip();
        }

        return delay;
    }
}
