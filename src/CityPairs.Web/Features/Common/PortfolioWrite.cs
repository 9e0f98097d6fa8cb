using System.Security.Claims;
using CityPairs.Domain.Common;
using CityPairs.Web.Data;
using CityPairs.Web.Features.Accounts;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;

namespace CityPairs.Web.Features.Common;

/// <summary>
/// The steps every write to the portfolio shares, in one place (as CleanArchitecture's behaviours, without a
/// mediator): the outage guard around the whole operation (its reads included), one context whose audit actor
/// is the current user, the concurrency version the form was loaded with, and logging once the exception that
/// becomes a message. A service writes as <c>await write.RunAsync(async w =&gt; ..., ct)</c> and cannot pick a
/// context without an actor or forget the guard.
/// </summary>
public sealed class PortfolioWrite(IDbContextFactory<CityPairsDbContext> dbFactory, ICurrentUser currentUser, ILogger? logger = null)
{
    private readonly ILogger _logger = logger ?? NullLogger.Instance;

    public async Task<SaveResult<T>> RunAsync<T>(Func<WriteScope, Task<SaveResult<T>>> operation, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(operation);
        try
        {
            var user = await currentUser.GetAsync();
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            db.Actor = user.ToAuditActor();
            return await operation(new WriteScope(db, user, _logger));
        }
        catch (Exception ex) when (DatabaseOutage.Is(ex))
        {
            SaveLog.Unreachable(_logger, ex);
            return SaveResult<T>.Unavailable(DatabaseOutage.Message);
        }
    }
}

/// <summary>One write's context, user and save; see <see cref="PortfolioWrite"/>.</summary>
public sealed class WriteScope(CityPairsDbContext db, ClaimsPrincipal user, ILogger logger)
{
    public CityPairsDbContext Db { get; } = db;

    public ClaimsPrincipal User { get; } = user;

    /// <summary>The form's version, not the one just read, decides: an edit based on an old page is a conflict.</summary>
    public void ExpectVersion<TEntity>(TEntity entity, uint version)
        where TEntity : Entity =>
        Db.Entry(entity).Property(e => e.Version).OriginalValue = version;

    public Task<SaveResult<T>> SaveAsync<T>(Func<T> onSuccess, CancellationToken cancellationToken = default) =>
        SafeSave.SaveAsync(Db, onSuccess, logger, cancellationToken);
}
