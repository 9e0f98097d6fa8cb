using CityPairs.Web.Data;
using CityPairs.Web.Features.Accounts;
using CityPairs.Web.Features.Common;
using Microsoft.EntityFrameworkCore;

namespace CityPairs.Web.Features.Notifications;

public sealed record InboxItem(long Id, string Kind, string Title, string Text, string LinkPath, DateTimeOffset CreatedAt, bool IsRead);

/// <summary>
/// The signed-in person's own notifications and e-mail preference. Every query filters on their user id, so another
/// person's notification id reads as "not found" (never as "forbidden", which would confirm it exists).
/// </summary>
public sealed class InboxService(IDbContextFactory<CityPairsDbContext> factory, ICurrentUser currentUser, TimeProvider clock)
{
    public const int MaxPageSize = 100;

    private async Task<string?> UserIdAsync() => (await currentUser.GetAsync()).UserId();

    public async Task<Page<InboxItem>> ListAsync(int page, int pageSize, CancellationToken cancellationToken = default)
    {
        var userId = await UserIdAsync();
        if (userId is null)
        {
            return new Page<InboxItem>([], 0);
        }

        pageSize = Math.Clamp(pageSize, 1, MaxPageSize);
        page = Math.Max(page, 1);
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var mine = db.Notifications.AsNoTracking().Where(n => n.UserId == userId);
        var total = await mine.CountAsync(cancellationToken);
        var items = await mine
            .OrderByDescending(n => n.CreatedAt).ThenByDescending(n => n.Id)
            .Skip((page - 1) * pageSize).Take(pageSize)
            .Select(n => new InboxItem(n.Id, n.Kind, n.Title, n.Text, n.LinkPath, n.CreatedAt, n.ReadAt != null))
            .ToListAsync(cancellationToken);
        return new Page<InboxItem>(items, total);
    }

    public async Task<int> UnreadCountAsync(CancellationToken cancellationToken = default)
    {
        var userId = await UserIdAsync();
        if (userId is null)
        {
            return 0;
        }

        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return await db.Notifications.CountAsync(n => n.UserId == userId && n.ReadAt == null, cancellationToken);
    }

    /// <summary>Marks the person's own notification read and returns the page it opens; null when it is not theirs.</summary>
    public async Task<string?> OpenAsync(long id, CancellationToken cancellationToken = default)
    {
        var userId = await UserIdAsync();
        if (userId is null)
        {
            return null;
        }

        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var link = await db.Notifications.Where(n => n.Id == id && n.UserId == userId).Select(n => n.LinkPath).SingleOrDefaultAsync(cancellationToken);
        if (link is null)
        {
            return null;
        }

        var now = clock.GetUtcNow();
        await db.Notifications.Where(n => n.Id == id && n.UserId == userId && n.ReadAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(n => n.ReadAt, now), cancellationToken);
        return link;
    }

    public async Task<int> MarkAllReadAsync(CancellationToken cancellationToken = default)
    {
        var userId = await UserIdAsync();
        if (userId is null)
        {
            return 0;
        }

        var now = clock.GetUtcNow();
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return await db.Notifications.Where(n => n.UserId == userId && n.ReadAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(n => n.ReadAt, now), cancellationToken);
    }

    public async Task<EmailPreference?> EmailPreferenceAsync(CancellationToken cancellationToken = default)
    {
        var userId = await UserIdAsync();
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return await db.Users.Where(u => u.Id == userId).Select(u => (EmailPreference?)u.EmailPreference).SingleOrDefaultAsync(cancellationToken);
    }

    /// <summary>
    /// Changes how the person hears about notifications. Moving to the digest starts it from now, so the first digest
    /// does not repeat mails already sent one by one.
    /// </summary>
    public async Task<bool> SetEmailPreferenceAsync(EmailPreference preference, CancellationToken cancellationToken = default)
    {
        if (!Enum.IsDefined(preference))
        {
            return false;
        }

        var userId = await UserIdAsync();
        if (userId is null)
        {
            return false;
        }

        var now = clock.GetUtcNow();
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var changed = preference == EmailPreference.DailyDigest
            ? await db.Users.Where(u => u.Id == userId && u.EmailPreference != preference)
                .ExecuteUpdateAsync(s => s.SetProperty(u => u.EmailPreference, preference).SetProperty(u => u.LastDigestAt, now), cancellationToken)
            : await db.Users.Where(u => u.Id == userId)
                .ExecuteUpdateAsync(s => s.SetProperty(u => u.EmailPreference, preference), cancellationToken);
        return changed > 0 || preference == EmailPreference.DailyDigest;
    }
}

/// <summary>
/// The top bar's unread count for one circuit. The inbox page tells it when it marked something read, so the badge
/// follows at once; otherwise the badge refreshes on navigation and on a slow timer.
/// </summary>
public sealed class UnreadCount
{
    public event Func<Task>? Changed;

    public Task NotifyChangedAsync() => Changed?.Invoke() ?? Task.CompletedTask;
}

public static class InboxEndpoints
{
    /// <summary>
    /// <c>GET /inbox/{id}</c>: marks the person's own notification read and opens its page (a plain link, so it works
    /// with the keyboard, a middle click and without the circuit). Someone else's id is a 404 and changes nothing.
    /// </summary>
    public static IEndpointRouteBuilder MapInboxEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/inbox/{id:long}", async Task<IResult> (long id, InboxService inbox, CancellationToken cancellationToken) =>
            await inbox.OpenAsync(id, cancellationToken) is { } link
                ? TypedResults.LocalRedirect(IdentityRedirectManager.LocalOrHome(link))
                : TypedResults.NotFound())
            .RequireAuthorization();
        return app;
    }
}
