using CityPairs.Web.Data;
using CityPairs.Web.Features.Common;
using Microsoft.EntityFrameworkCore;

namespace CityPairs.Web.Features.Accounts.SecurityLog;

public sealed record SecurityEventItem(long Id, DateTimeOffset At, SecurityEventKind Kind, string Email, string? ActorName, string? ClientAddress, string Detail);

/// <summary>One page of the log: newest first, optionally one person's (by e-mail, part of it) and one kind.</summary>
public sealed record SecurityLogQuery(string? Email = null, SecurityEventKind? Kind = null, int Page = 0, int PageSize = 50);

/// <summary>
/// Writes sign-in events (the sign-in pages call it) and lists the log for administrators. Changes to accounts
/// (2FA, password, lockout) are recorded by <see cref="AccountChangeRecorder"/> in the save that makes them, and
/// role changes by UserAdminService with the administrator who made them.
/// </summary>
public sealed class SecurityLogService(IDbContextFactory<CityPairsDbContext> dbFactory, IHttpContextAccessor http, TimeProvider clock, ICurrentUser currentUser)
{
    public const int MaxPageSize = 200;

    public async Task RecordAsync(SecurityEventKind kind, string email, string? userId, string detail, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        db.Add(New(kind, email, userId, detail, clock.GetUtcNow(), http.HttpContext));
        await db.SaveChangesAsync(cancellationToken);
    }

    public static SecurityEvent New(SecurityEventKind kind, string? email, string? userId, string detail, DateTimeOffset at, HttpContext? context, string? actorName = null) => new()
    {
        Kind = kind, Email = Truncate(email ?? "", 256), UserId = userId, Detail = Truncate(detail, 500), At = at, ActorName = actorName,
        // After ReverseProxy's forwarded headers: the real client.
        ClientAddress = context?.Connection.RemoteIpAddress?.ToString(),
    };

    /// <summary>Null when the current user may not read the log (only an administrator signed in with the second factor may).</summary>
    public async Task<Page<SecurityEventItem>?> ListAsync(SecurityLogQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (!AccessRules.IsAdministrator(await currentUser.GetAsync()))
        {
            return null;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var events = db.Set<SecurityEvent>().AsNoTracking();
        if (!string.IsNullOrWhiteSpace(query.Email))
        {
            var pattern = LikePattern.Containing(query.Email);
            events = events.Where(e => EF.Functions.ILike(e.Email, pattern));
        }

        if (query.Kind is { } kind)
        {
            events = events.Where(e => e.Kind == kind);
        }

        var size = Math.Clamp(query.PageSize, 1, MaxPageSize);
        var total = await events.CountAsync(cancellationToken);
        var items = await events.OrderByDescending(e => e.At).ThenByDescending(e => e.Id)
            .Skip(Math.Max(query.Page, 0) * size).Take(size)
            .Select(e => new SecurityEventItem(e.Id, e.At, e.Kind, e.Email, e.ActorName, e.ClientAddress, e.Detail))
            .ToListAsync(cancellationToken);
        return new Page<SecurityEventItem>(items, total);
    }

    private static string Truncate(string text, int length) => text.Length <= length ? text : text[..length];
}
