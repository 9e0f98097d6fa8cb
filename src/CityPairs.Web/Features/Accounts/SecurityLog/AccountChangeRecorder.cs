using CityPairs.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace CityPairs.Web.Features.Accounts.SecurityLog;

/// <summary>
/// Adds a <see cref="SecurityEvent"/> to the save that switches an account's second factor on or off, changes its
/// password, or locks it out, whatever made the change (a page, Identity's sign-in, a command): the event commits
/// with the change or not at all.
/// </summary>
public sealed class AccountChangeRecorder(TimeProvider clock, IHttpContextAccessor http) : SaveChangesInterceptor
{
    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Record(eventData.Context);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(
        DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Record(eventData.Context);
        return ValueTask.FromResult(result);
    }

    private void Record(DbContext? context)
    {
        if (context is not CityPairsDbContext db)
        {
            return;
        }

        db.ChangeTracker.DetectChanges();
        var now = clock.GetUtcNow();
        var events = new List<SecurityEvent>();
        foreach (var entry in db.ChangeTracker.Entries<AppUser>().Where(e => e.State == EntityState.Modified))
        {
            var user = entry.Entity;
            SecurityEvent Event(SecurityEventKind kind, string detail) =>
                SecurityLogService.New(kind, user.Email, user.Id, detail, now, http.HttpContext, db.Actor?.UserName);

            if (Changed(entry, u => u.TwoFactorEnabled))
            {
                events.Add(user.TwoFactorEnabled
                    ? Event(SecurityEventKind.TwoFactorEnabled, "Authenticator app set up")
                    : Event(SecurityEventKind.TwoFactorDisabled, "Two-factor sign-in switched off"));
            }

            // Identity rehashes a password on sign-in only when its algorithm changes; a new hash from an old one is a new password.
            if (Changed(entry, u => u.PasswordHash) && entry.Property(u => u.PasswordHash).OriginalValue is not null)
            {
                events.Add(Event(SecurityEventKind.PasswordChanged, "Password changed or reset"));
            }

            var lockoutEnd = entry.Property(u => u.LockoutEnd);
            if (Changed(entry, u => u.LockoutEnd) && user.LockoutEnd > now && !(lockoutEnd.OriginalValue > now))
            {
                events.Add(Event(SecurityEventKind.LockedOut, $"Locked out until {user.LockoutEnd:u} after {entry.Property(u => u.AccessFailedCount).OriginalValue + 1} failed attempts"));
            }
        }

        db.AddRange(events);
    }

    private static bool Changed<T>(EntityEntry<AppUser> entry, System.Linq.Expressions.Expression<Func<AppUser, T>> property)
    {
        var p = entry.Property(property);
        return !EqualityComparer<T>.Default.Equals(p.OriginalValue, p.CurrentValue);
    }
}
