using System.Security.Claims;
using CityPairs.Web.Data;
using CityPairs.Web.Features.Audit;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.EntityFrameworkCore;

namespace CityPairs.Web.Features.Accounts;

/// <summary>Who is asking. Services check every write against this user, whatever page or request called them.</summary>
public interface ICurrentUser
{
    Task<ClaimsPrincipal> GetAsync();
}

/// <summary>
/// In a Blazor circuit (and a statically rendered page) the authentication state is the source; in a plain
/// HTTP endpoint (the API) there is no authentication state, so the request's user is.
/// </summary>
public sealed class CurrentUser(AuthenticationStateProvider authentication, IHttpContextAccessor http) : ICurrentUser
{
    public async Task<ClaimsPrincipal> GetAsync()
    {
        try
        {
            return (await authentication.GetAuthenticationStateAsync()).User;
        }
        catch (InvalidOperationException)
        {
            return http.HttpContext?.User ?? new ClaimsPrincipal(new ClaimsIdentity());
        }
    }
}

/// <summary>A fixed user, for the tests and for work the app does on its own (seeding).</summary>
public sealed class FixedUser(ClaimsPrincipal user) : ICurrentUser
{
    public Task<ClaimsPrincipal> GetAsync() => Task.FromResult(user);
}

public static class ClaimsPrincipalExtensions
{
    /// <summary>A context whose changes are recorded in the audit trail as made by the current user.</summary>
    public static async Task<CityPairsDbContext> CreateForAsync(
        this IDbContextFactory<CityPairsDbContext> factory, ICurrentUser currentUser, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(factory);
        ArgumentNullException.ThrowIfNull(currentUser);
        var user = await currentUser.GetAsync();
        var db = await factory.CreateDbContextAsync(cancellationToken);
        db.Actor = user.ToAuditActor();
        return db;
    }

    public static AuditActor? ToAuditActor(this ClaimsPrincipal user) =>
        user?.Identity?.IsAuthenticated == true ? new AuditActor(user.UserId(), user.DisplayName() ?? "") : null;

    public static string? UserId(this ClaimsPrincipal user) => user?.FindFirstValue(ClaimTypes.NameIdentifier);

    /// <summary>What a status change or an audit entry records as "by".</summary>
    public static string? DisplayName(this ClaimsPrincipal user) =>
        user?.Identity?.IsAuthenticated == true ? user.FindFirstValue(ClaimTypes.Name) ?? user.UserId() : null;
}
