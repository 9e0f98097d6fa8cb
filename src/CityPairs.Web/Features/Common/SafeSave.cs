using CityPairs.Domain.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace CityPairs.Web.Features.Common;

/// <summary>
/// Turns what PostgreSQL and EF say about a failed save into a <see cref="SaveResult{T}"/> a person can act on.
/// Validation runs before this; these are the last line of defence (a race with another editor, a constraint).
/// </summary>
public static class SafeSave
{
    public const string ConflictMessage =
        "Someone else changed this record after you opened it. Reload to see their version; your changes have not been saved.";

    public static Task<SaveResult<T>> SaveAsync<T>(DbContext db, Func<T> onSuccess, CancellationToken cancellationToken = default) =>
        SaveAsync(db, onSuccess, logger: null, cancellationToken);

    /// <summary>
    /// Saves, and turns a failure into a result. Each exception that becomes a message is logged here, once:
    /// conflicts and refused rules at Information (they are the user's everyday), the rest at Warning.
    /// </summary>
    public static async Task<SaveResult<T>> SaveAsync<T>(DbContext db, Func<T> onSuccess, ILogger? logger, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(onSuccess);
        logger ??= NullLogger.Instance;
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return SaveResult<T>.Ok(onSuccess());
        }
        catch (DbUpdateConcurrencyException ex)
        {
            SaveLog.Conflict(logger, ex);
            return SaveResult<T>.Conflict(ConflictMessage);
        }
        catch (DomainRuleException ex)
        {
            SaveLog.RuleRefused(logger, ex);
            return SaveResult<T>.Refused(ex.Message);
        }
        catch (Exception ex) when (FindPostgresError(ex) is { } postgres && IsConstraintViolation(postgres))
        {
            SaveLog.ConstraintRefused(logger, ex, postgres.ConstraintName ?? postgres.SqlState);
            return SaveResult<T>.Invalid(postgres.ColumnName ?? "", Describe(postgres));
        }
        catch (Exception ex) when (DatabaseOutage.Is(ex))
        {
            SaveLog.Unreachable(logger, ex);
            return SaveResult<T>.Unavailable(DatabaseOutage.Message);
        }
    }

    /// <summary>
    /// A whole write operation, its reads before the save included: when the database cannot be reached at any
    /// step, the form gets <see cref="SaveProblem.Unavailable"/> and keeps what was typed, instead of the page failing.
    /// </summary>
    public static async Task<SaveResult<T>> GuardAsync<T>(Func<Task<SaveResult<T>>> operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        try
        {
            return await operation();
        }
        catch (Exception ex) when (DatabaseOutage.Is(ex))
        {
            return SaveResult<T>.Unavailable(DatabaseOutage.Message);
        }
    }

    /// <summary>Deferred checks fail at commit, so PostgreSQL's error may come wrapped or bare.</summary>
    public static PostgresException? FindPostgresError(Exception ex) => ex as PostgresException ?? ex.InnerException as PostgresException;

    private static bool IsConstraintViolation(PostgresException e) => e.SqlState is
        PostgresErrorCodes.CheckViolation or PostgresErrorCodes.UniqueViolation or
        PostgresErrorCodes.ForeignKeyViolation or PostgresErrorCodes.NotNullViolation or PostgresErrorCodes.StringDataRightTruncation;

    private static string Describe(PostgresException e) => e.SqlState switch
    {
        PostgresErrorCodes.UniqueViolation => "A record with these details exists already.",
        PostgresErrorCodes.ForeignKeyViolation => "This refers to a record that no longer exists, or is still used elsewhere.",
        PostgresErrorCodes.StringDataRightTruncation => "A text is longer than allowed.",
        _ when e.ConstraintName == "ck_partnerships_minimum_members" => "A partnership needs at least two member cities.",
        _ => $"The database refused the change ({e.ConstraintName ?? e.SqlState}).",
    };
}

/// <summary>The log lines of a write that became a message instead of an error page.</summary>
public static partial class SaveLog
{
    /// <summary>Services take their logger optionally (tests build them by hand); none means no log.</summary>
    public static ILogger OrNull(this ILogger? logger) => logger ?? NullLogger.Instance;

    [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "A save met a newer version of the record")]
    public static partial void Conflict(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Information, Message = "A domain rule refused a save")]
    public static partial void RuleRefused(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Warning, Message = "PostgreSQL refused a save ({Constraint})")]
    public static partial void ConstraintRefused(ILogger logger, Exception exception, string constraint);

    [LoggerMessage(EventId = 2005, Level = LogLevel.Warning, Message = "PostgreSQL refused an import; nothing was imported")]
    public static partial void ImportRefused(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 2006, Level = LogLevel.Information, Message = "An API request was not valid")]
    public static partial void BadRequest(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 2004, Level = LogLevel.Warning, Message = "A write could not reach the database; the user keeps their input")]
    public static partial void Unreachable(ILogger logger, Exception exception);
}
