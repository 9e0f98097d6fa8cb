using CityPairs.Web.Data;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace CityPairs.Web.Features.Matching;

/// <summary>
/// Keeps every app instance's matching snapshot current, not only the one that saved: a city save sends
/// the changed ids on a PostgreSQL NOTIFY channel (MatchingRefreshInterceptor), and each instance LISTENs
/// here and refreshes those cities. Notifications are delivered at commit, so an instance never reloads a
/// city before its change is visible. If the listening connection drops, changes may have been missed,
/// so the snapshot is rebuilt from the database.
/// </summary>
public sealed partial class CityChangeFeed(
    IDbContextFactory<CityPairsDbContext> dbFactory, MatchingService matching, ILogger<CityChangeFeed> logger) : BackgroundService
{
    public const string Channel = "citypairs_city_changed";

    /// <summary>Announces changed cities to every instance (this one included; a second refresh is harmless).</summary>
    public static Task PublishAsync(DbContext db, IReadOnlyCollection<int> cityIds, CancellationToken cancellationToken = default) =>
        db.Database.ExecuteSqlRawAsync("SELECT pg_notify({0}, {1})", [Channel, string.Join(',', cityIds)], cancellationToken);

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
                matching.Invalidate();
                await Task.Delay(TimeSpan.FromSeconds(2), stoppingToken);
            }
        }
    }

    private async Task ListenAsync(string connectionString, CancellationToken stoppingToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(stoppingToken);
        var changed = new List<int>();
        connection.Notification += (_, e) =>
        {
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
        matching.Invalidate();
        while (!stoppingToken.IsCancellationRequested)
        {
            await connection.WaitAsync(stoppingToken);
            if (changed.Count > 0)
            {
                var ids = changed.Distinct().ToList();
                changed.Clear();
                await matching.RefreshCitiesAsync(ids, stoppingToken);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lost the city change feed; the matching snapshot will be rebuilt and the feed reopened")]
    private static partial void LogListenFailed(ILogger logger, Exception exception);
}
