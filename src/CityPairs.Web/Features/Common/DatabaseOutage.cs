using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace CityPairs.Web.Features.Common;

/// <summary>
/// Tells a database that cannot be reached (restarting, network down; EF's retries exhausted) from a
/// database that refused the data: the first is worth telling the user to try again.
/// </summary>
public static class DatabaseOutage
{
    public const string Message =
        "The database cannot be reached right now. Nothing was saved and what you typed is still here: try again in a moment.";

    public static bool Is(Exception ex)
    {
        for (var e = (Exception?)ex; e is not null; e = e.InnerException)
        {
            if (e is RetryLimitExceededException or TimeoutException ||
                (e is NpgsqlException npgsql && e is not PostgresException && npgsql.IsTransient) ||
                (e is PostgresException postgres && postgres.SqlState is PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CannotConnectNow))
            {
                return true;
            }
        }

        return false;
    }
}
