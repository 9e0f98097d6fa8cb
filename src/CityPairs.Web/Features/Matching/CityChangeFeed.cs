using CityPairs.Web.Data;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace CityPairs.Web.Features.Matching;

/// <summary>
/// Keeps every app instance's matching snapshot current, not only the one that saved: a city save
/// (MatchingRefreshInterceptor) or a cities import sends the changed ids on a PostgreSQL NOTIFY channel, and
/// each instance LISTENs here and publishes them to its <see cref="MatchingSnapshotCache"/>. Notifications are delivered at commit, so an instance never reloads a
/// city before its change is visible. If the listening connection drops, changes may have been missed,
/// so the snapshot is rebuilt from the database.
/// </summary>
public sealed partial class CityChangeFeed(
    IDbContextFactory<CityPairsDbContext> dbFactory, MatchingSnapshotCache snapshots, ILogger<CityChangeFeed> logger) : BackgroundService
{
    public const string Channel = "citypairs_city_changed";

    /// <summary>The payload for "too many cities to list": every instance rebuilds its snapshot.</summary>
    private const string Everything = "*";

    /// <summary>
    /// Announces changed cities to every instance (this one included; a second refresh is harmless), in the
    /// context's transaction if it has one: the notice is delivered when that commits.
    /// </summary>
    public static Task NotifyAsync(DbContext db, IReadOnlyCollection<int> cityIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        return db.Database.ExecuteSqlRawAsync("SELECT pg_notify({0}, {1})", [Channel, Payload(cityIds)], cancellationToken);
    }

    /// <summary>The same on a bare connection, in its open transaction (the cities import's COPY).</summary>
    public static async Task NotifyAsync(NpgsqlConnection connection, IReadOnlyCollection<int> cityIds, CancellationToken cancellationToken = default)
    {
        await using var notify = new NpgsqlCommand("SELECT pg_notify($1, $2)", connection);
        notify.Parameters.Add(new NpgsqlParameter<string> { TypedValue = Channel });
        notify.Parameters.Add(new NpgsqlParameter<string> { TypedValue = Payload(cityIds) });
        await notify.ExecuteNonQueryAsync(cancellationToken);
    }

    // pg_notify refuses payloads of 8,000 bytes or more; past the refresh limit the ids are not worth listing.
    private static string Payload(IReadOnlyCollection<int> cityIds) =>
        cityIds.Count > MatchingSnapshotCache.RefreshLimit ? Everything : string.Join(',', cityIds);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        string connectionString;
        await using (var db = await dbFactory.CreateDbContextAsync(stoppingToken))
        {
            connectionString = db.Database.GetConnectionString()!;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await ListenAsync(connectionString, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // Any failure of the listening connection is handled the same way: rebuild, wait, listen again.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                LogListenFailed(logger, ex);
                await snapshots.PublishAsync(null, CancellationToken.None);
                await Task.Delay(TimeSpan.FromSeconds(2), stoppingToken);
            }
        }
    }

    private async Task ListenAsync(string connectionString, CancellationToken stoppingToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(stoppingToken);
        var changed = new List<int>();
        var everything = false;
        connection.Notification += (_, e) =>
        {
            everything |= e.Payload == Everything;
            foreach (var part in e.Payload.Split(',', StringSplitOptions.RemoveEmptyEntries))
            {
                if (int.TryParse(part, out var id))
                {
                    changed.Add(id);
                }
            }
        };
        await using (var listen = new NpgsqlCommand($"LISTEN {Channel}", connection))
        {
            await listen.ExecuteNonQueryAsync(stoppingToken);
        }

        // Changes made before LISTEN took effect were not heard: start from what the database holds now.
        await snapshots.PublishAsync(null, stoppingToken);
        while (!stoppingToken.IsCancellationRequested)
        {
            await connection.WaitAsync(stoppingToken);
            if (everything)
            {
                everything = false;
                changed.Clear();
                await snapshots.PublishAsync(null, stoppingToken);
            }
            else if (changed.Count > 0)
            {
                var ids = changed.Distinct().ToList();
                changed.Clear();
                await snapshots.PublishAsync(ids, stoppingToken);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lost the city change feed; the matching snapshot will be rebuilt and the feed reopened")]
    private static partial void LogListenFailed(ILogger logger, Exception exception);
}
