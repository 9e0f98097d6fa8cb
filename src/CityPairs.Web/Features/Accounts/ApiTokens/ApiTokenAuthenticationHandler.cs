using System.Security.Claims;
using System.Text.Encodings.Web;
using CityPairs.Web.Data;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace CityPairs.Web.Features.Accounts.ApiTokens;

/// <summary>
/// How /api requests authenticate: with the sign-in cookie (a browser, the reference page) or with
/// "Authorization: Bearer &lt;token&gt;" (a script). Either way the request's user is the same principal the
/// cookie sign-in builds for that person, so the policies and <see cref="AccessRules"/> apply unchanged.
/// </summary>
public static class ApiAuthentication
{
    public const string BearerScheme = "ApiToken";

    /// <summary>The default scheme: forwards to <see cref="BearerScheme"/> for an /api request carrying a Bearer header, else to the cookie.</summary>
    public const string CookieOrBearer = "CookieOrBearer";

    public static bool IsApiRequest(HttpContext context) =>
        context?.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase) == true;

    public static bool HasBearer(HttpContext context) =>
        context?.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) == true;

    public static AuthenticationBuilder AddApiTokens(this AuthenticationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddMemoryCache();
        builder.Services.AddScoped<ApiTokenService>();
        // Pages keep redirecting to the sign-in page; an API client gets a status code and a problem body instead.
        builder.Services.ConfigureApplicationCookie(options =>
        {
            var toLogin = options.Events.OnRedirectToLogin;
            var toDenied = options.Events.OnRedirectToAccessDenied;
            options.Events.OnRedirectToLogin = context => IsApiRequest(context.HttpContext)
                ? WriteProblemAsync(context.HttpContext, StatusCodes.Status401Unauthorized, NotSignedInDetail)
                : toLogin(context);
            options.Events.OnRedirectToAccessDenied = context => IsApiRequest(context.HttpContext)
                ? WriteProblemAsync(context.HttpContext, StatusCodes.Status403Forbidden, AccessRules.Refusal)
                : toDenied(context);
        });
        return builder
            .AddPolicyScheme(CookieOrBearer, null, options => options.ForwardDefaultSelector = context =>
                IsApiRequest(context) && HasBearer(context) ? BearerScheme : IdentityConstants.ApplicationScheme)
            .AddScheme<AuthenticationSchemeOptions, ApiTokenAuthenticationHandler>(BearerScheme, null);
    }

    internal const string NotSignedInDetail = "Sign in, or send an API token as \"Authorization: Bearer <token>\" (create one under API tokens in your account).";

    internal static Task WriteProblemAsync(HttpContext context, int status, string detail) =>
        TypedResults.Problem(
            title: status == StatusCodes.Status401Unauthorized ? "Not signed in" : "Not allowed",
            detail: detail, statusCode: status).ExecuteAsync(context);
}

/// <summary>
/// Checks a Bearer token against the stored hashes and signs the request in as the token's owner. A valid token's
/// principal is kept for <see cref="CacheFor"/>, so a busy script costs one lookup per half minute rather than four
/// per request; revoking on this instance takes effect at once, on another instance within that time.
/// </summary>
public sealed class ApiTokenAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
    IDbContextFactory<CityPairsDbContext> dbFactory, IMemoryCache cache, TimeProvider clock)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(30);

    /// <summary>Real tokens are 47 characters; anything far longer is not worth hashing.</summary>
    private const int MaxSecretLength = 200;

    public static string CacheKey(byte[] hash) => "api-token:" + Convert.ToHexString(hash ?? []);

    /// <summary>Short, so a token refused for a passing reason (its owner was locked out, then unlocked) works again soon.</summary>
    private static readonly TimeSpan RefusedFor = TimeSpan.FromSeconds(10);

    private static string RefusedKey(byte[] hash) => "api-token-refused:" + Convert.ToHexString(hash);

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.NoResult();
        }

        var secret = header["Bearer ".Length..].Trim();
        if (secret.Length is 0 or > MaxSecretLength)
        {
            return AuthenticateResult.Fail("The API token is missing or malformed.");
        }

        var hash = ApiTokenService.HashOf(secret);
        var now = clock.GetUtcNow();
        if (!cache.TryGetValue(CacheKey(hash), out Signed? signed) || signed is null)
        {
            // Refusals are remembered briefly too: 401s come before the rate limiter (which counts per user),
            // so without this a stream of made-up tokens would cost a database lookup each.
            if (cache.TryGetValue(RefusedKey(hash), out string? refused) && refused is not null)
            {
                return AuthenticateResult.Fail(refused);
            }

            var (loaded, failure) = await LoadAsync(hash, now);
            if (loaded is null)
            {
                cache.Set(RefusedKey(hash), failure!, RefusedFor);
                return AuthenticateResult.Fail(failure!);
            }

            signed = loaded;
            cache.Set(CacheKey(hash), signed, CacheFor);
        }

        if (signed.ExpiresAt <= now)
        {
            return AuthenticateResult.Fail("The API token has expired; create a new one.");
        }

        return AuthenticateResult.Success(new AuthenticationTicket(signed.Principal.Clone(), Scheme.Name));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync();
        Response.Headers.WWWAuthenticate = result.Failure is null ? "Bearer" : "Bearer error=\"invalid_token\"";
        await ApiAuthentication.WriteProblemAsync(Context, StatusCodes.Status401Unauthorized, result.Failure?.Message ?? ApiAuthentication.NotSignedInDetail);
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        ApiAuthentication.WriteProblemAsync(Context, StatusCodes.Status403Forbidden, AccessRules.Refusal);

    private async Task<(Signed? Signed, string? Failure)> LoadAsync(byte[] hash, DateTimeOffset now)
    {
        await using var db = await dbFactory.CreateDbContextAsync(Context.RequestAborted);
        var token = await db.ApiTokens.AsNoTracking().Where(t => t.Hash == hash)
            .Select(t => new { t.Id, t.UserId, t.ExpiresAt, t.RevokedAt, t.RevokedReason, t.CreatedWithSecondFactor, t.SecurityStampHash })
            .SingleOrDefaultAsync(Context.RequestAborted);
        if (token is null)
        {
            return (null, "The API token is not valid.");
        }

        if (token.RevokedAt is not null)
        {
            return (null, token.RevokedReason is { } reason ? $"The API token has been revoked: {reason}." : "The API token has been revoked.");
        }

        if (token.ExpiresAt <= now)
        {
            return (null, "The API token has expired; create a new one.");
        }

        var users = Context.RequestServices.GetRequiredService<UserManager<AppUser>>();
        var user = await users.FindByIdAsync(token.UserId);
        if (user is null || await users.IsLockedOutAsync(user))
        {
            return (null, "The account this API token belongs to cannot sign in.");
        }

        // Re-checked here as well as revoked when the stamp changes (SecurityStampRevocation): a stamp changed by
        // any other path (SQL, another tool) still ends the token.
        if (token.SecurityStampHash is null || !token.SecurityStampHash.AsSpan().SequenceEqual(ApiTokenService.StampHashOf(user.SecurityStamp)))
        {
            return (null, $"The API token has been revoked: {ApiTokenService.RevokedBySecurityChange}.");
        }

        // The claims the cookie sign-in gives (id, name, roles, security stamp), plus the "amr" of the session that
        // created the token: how its creator signed in then, not whether the account has a second factor now.
        var factory = Context.RequestServices.GetRequiredService<IUserClaimsPrincipalFactory<AppUser>>();
        var source = (ClaimsIdentity)(await factory.CreateAsync(user)).Identity!;
        var identity = new ClaimsIdentity(source.Claims, Scheme.Name, source.NameClaimType, source.RoleClaimType);
        identity.AddClaim(new Claim(AccessRules.AuthenticationMethodClaim, token.CreatedWithSecondFactor ? AccessRules.SecondFactor : "pwd"));

        // Written once per cache period, not per request, and outside the audit trail (using a token is not a change).
        await db.ApiTokens.Where(t => t.Id == token.Id).ExecuteUpdateAsync(s => s.SetProperty(t => t.LastUsedAt, now), Context.RequestAborted);
        return (new Signed(new ClaimsPrincipal(identity), token.ExpiresAt), null);
    }

    private sealed record Signed(ClaimsPrincipal Principal, DateTimeOffset ExpiresAt);
}
