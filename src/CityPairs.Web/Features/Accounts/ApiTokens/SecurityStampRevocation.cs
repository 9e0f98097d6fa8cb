using System.Runtime.CompilerServices;
using CityPairs.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Caching.Memory;

namespace CityPairs.Web.Features.Accounts.ApiTokens;

/// <summary>
/// Revokes an account's API tokens in the same SaveChanges that changes its security stamp. Identity changes the
/// stamp on a password reset, a 2FA enrolment or removal, and UserAdminService on a role change: each of those is
/// a reason to distrust what the old credentials made. Runs before <see cref="AuditInterceptor"/>, so the
/// revocations are in the audit trail. The token handler also compares stamps at use, for changes made elsewhere.
/// </summary>
public sealed class SecurityStampRevocation(TimeProvider clock, IMemoryCache cache) : SaveChangesInterceptor
{
    // The hashes to forget once the change has committed: evicting earlier could let a request re-cache the
    // token as valid from the not-yet-committed state.
    private readonly ConditionalWeakTable<DbContext, List<byte[]>> _pending = [];

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        if (eventData.Context is CityPairsDbContext db && UsersWithNewStamp(db) is { Count: > 0 } users)
        {
            Revoke(db, db.ApiTokens.Where(t => users.Contains(t.UserId) && t.RevokedAt == null).ToList());
        }

        return result;
    }

    public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(
        DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        if (eventData.Context is CityPairsDbContext db && UsersWithNewStamp(db) is { Count: > 0 } users)
        {
            Revoke(db, await db.ApiTokens.Where(t => users.Contains(t.UserId) && t.RevokedAt == null).ToListAsync(cancellationToken));
        }

        return result;
    }

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        Forget(eventData.Context);
        return result;
    }

    public override ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        Forget(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public override void SaveChangesFailed(DbContextErrorEventData eventData) => _pending.Remove(eventData.Context!);

    public override Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        _pending.Remove(eventData.Context!);
        return Task.CompletedTask;
    }

    private static List<string> UsersWithNewStamp(CityPairsDbContext db)
    {
        db.ChangeTracker.DetectChanges();
        // Identity's UserStore.UpdateAsync marks every property modified, so compare the values themselves.
        return db.ChangeTracker.Entries<AppUser>()
            .Where(e => e.State == EntityState.Modified)
            .Where(e => !string.Equals(e.Property(u => u.SecurityStamp).OriginalValue, e.Property(u => u.SecurityStamp).CurrentValue, StringComparison.Ordinal))
            .Select(e => e.Entity.Id)
            .ToList();
    }

    private void Revoke(CityPairsDbContext db, List<ApiToken> tokens)
    {
        if (tokens.Count == 0)
        {
            return;
        }

        var now = clock.GetUtcNow();
        foreach (var token in tokens)
        {
            token.RevokedAt = now;
            token.RevokedReason = ApiTokenService.RevokedBySecurityChange;
        }

        _pending.AddOrUpdate(db, tokens.Select(t => t.Hash).ToList());
    }

    private void Forget(DbContext? db)
    {
        if (db is not null && _pending.TryGetValue(db, out var hashes))
        {
            _pending.Remove(db);
            foreach (var hash in hashes)
            {
                cache.Remove(ApiTokenAuthenticationHandler.CacheKey(hash));
            }
        }
    }
}
