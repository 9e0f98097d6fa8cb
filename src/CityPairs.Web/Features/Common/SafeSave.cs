using CityPairs.Domain.Common;
using Microsoft.EntityFrameworkCore;
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

    public static async Task<SaveResult<T>> SaveAsync<T>(DbContext db, Func<T> onSuccess, CancellationToken cancellationToken = default)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return SaveResult<T>.Ok(onSuccess());
        }
        catch (DbUpdateConcurrencyException)
        {
            return SaveResult<T>.Conflict(ConflictMessage);
        }
        catch (DomainRuleException ex)
        {
            return SaveResult<T>.Refused(ex.Message);
        }
        catch (Exception ex) when (FindPostgresError(ex) is { } postgres && IsConstraintViolation(postgres))
        {
            return SaveResult<T>.Invalid(postgres.ColumnName ?? "", Describe(postgres));
        }
        catch (Exception ex) when (DatabaseOutage.Is(ex))
        {
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
