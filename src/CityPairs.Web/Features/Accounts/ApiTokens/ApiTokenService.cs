using System.Security.Cryptography;
using System.Text;
using CityPairs.Web.Data;
using CityPairs.Web.Features.Common;
using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;

namespace CityPairs.Web.Features.Accounts.ApiTokens;

public sealed record ApiTokenItem(
    int Id, string Name, string Prefix, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt, DateTimeOffset? LastUsedAt, DateTimeOffset? RevokedAt)
{
    public bool IsActive(DateTimeOffset now) => RevokedAt is null && ExpiresAt > now;

    /// <summary>Set when the app revoked it (its owner's security changed), not its owner.</summary>
    public string? RevokedReason { get; init; }
}

/// <summary>A token just created: <see cref="Secret"/> is shown to its owner this once and never again.</summary>
public sealed record CreatedApiToken(ApiTokenItem Token, string Secret);

public sealed class ApiTokenForm
{
    public string Name { get; set; } = "";

    public int Days { get; set; } = ApiTokenService.DefaultDays;
}

public sealed class ApiTokenFormValidator : AbstractValidator<ApiTokenForm>
{
    public ApiTokenFormValidator()
    {
        RuleFor(f => f.Name).PlainText()
            .Must(n => !string.IsNullOrWhiteSpace(n)).WithMessage("Name the token after what will use it, for example \"reporting script\".")
            .MaximumLength(ApiTokenService.MaxNameLength).WithMessage($"The name can have at most {ApiTokenService.MaxNameLength} characters.");
        RuleFor(f => f.Days).InclusiveBetween(1, ApiTokenService.MaxDays)
            .WithMessage($"A token is valid for 1 to {ApiTokenService.MaxDays} days.");
    }
}

/// <summary>
/// Creates, lists and revokes the signed-in user's own API tokens. A token acts as its owner: the same roles,
/// assignments and rules as their browser session (see <see cref="ApiTokenAuthenticationHandler"/>).
/// </summary>
public sealed class ApiTokenService(
    IDbContextFactory<CityPairsDbContext> dbFactory, IValidator<ApiTokenForm> validator, TimeProvider clock, ICurrentUser currentUser, IMemoryCache cache)
{
    public const int DefaultDays = 90;
    public const int MaxDays = 365;
    public const int MaxNameLength = 100;

    /// <summary>Enough for every script a person runs; a runaway loop creating tokens stops here.</summary>
    public const int MaxActivePerUser = 20;

    /// <summary>Recognisable in logs and by secret scanners.</summary>
    public const string SecretPrefix = "cpt_";

    private const int VisibleLength = 12;

    public async Task<IReadOnlyList<ApiTokenItem>> ListMineAsync(CancellationToken cancellationToken = default)
    {
        var userId = (await currentUser.GetAsync()).UserId();
        if (userId is null)
        {
            return [];
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.ApiTokens.AsNoTracking().Where(t => t.UserId == userId)
            .OrderBy(t => t.RevokedAt != null).ThenByDescending(t => t.CreatedAt).ThenByDescending(t => t.Id)
            .Select(t => new ApiTokenItem(t.Id, t.Name, t.Prefix, t.CreatedAt, t.ExpiresAt, t.LastUsedAt, t.RevokedAt) { RevokedReason = t.RevokedReason })
            .ToListAsync(cancellationToken);
    }

    public Task<SaveResult<CreatedApiToken>> CreateAsync(ApiTokenForm form, CancellationToken cancellationToken = default) =>
        SafeSave.GuardAsync(() => CreateCoreAsync(form, cancellationToken));

    private async Task<SaveResult<CreatedApiToken>> CreateCoreAsync(ApiTokenForm form, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(form);
        var principal = await currentUser.GetAsync();
        var userId = principal.UserId();
        if (userId is null)
        {
            return SaveResult<CreatedApiToken>.Forbidden();
        }

        var validation = await validator.ValidateAsync(form, cancellationToken);
        if (!validation.IsValid)
        {
            return SaveResult<CreatedApiToken>.Invalid(validation.Errors);
        }

        var now = clock.GetUtcNow();
        await using var db = await dbFactory.CreateForAsync(currentUser, cancellationToken);
        if (await db.ApiTokens.CountAsync(t => t.UserId == userId && t.RevokedAt == null && t.ExpiresAt > now, cancellationToken) >= MaxActivePerUser)
        {
            return SaveResult<CreatedApiToken>.Refused($"You have {MaxActivePerUser} active tokens; revoke one you no longer use first.");
        }

        // The account as it is now, not as the session's cookie remembers it: a role granted since sign-in counts.
        var account = await db.Users.AsNoTracking().Where(u => u.Id == userId)
            .Select(u => new
            {
                u.SecurityStamp,
                IsAdministrator = db.UserRoles.Any(ur => ur.UserId == u.Id && db.Roles.Any(r => r.Id == ur.RoleId && r.Name == Roles.Administrator)),
            })
            .SingleOrDefaultAsync(cancellationToken);
        if (account is null)
        {
            return SaveResult<CreatedApiToken>.Forbidden();
        }

        var secondFactor = principal.HasClaim(AccessRules.AuthenticationMethodClaim, AccessRules.SecondFactor);
        if (account.IsAdministrator && !secondFactor)
        {
            return SaveResult<CreatedApiToken>.Refused(AdministratorNeedsSecondFactor);
        }

        var secret = SecretPrefix + Base64Url(RandomNumberGenerator.GetBytes(32));
        var token = new ApiToken
        {
            UserId = userId, Name = form.Name.Trim(), Prefix = secret[..VisibleLength], Hash = HashOf(secret), ExpiresAt = now.AddDays(form.Days),
            CreatedWithSecondFactor = secondFactor, SecurityStampHash = StampHashOf(account.SecurityStamp),
        };
        db.ApiTokens.Add(token);
        return await SafeSave.SaveAsync(db, () => new CreatedApiToken(
            new ApiTokenItem(token.Id, token.Name, token.Prefix, token.CreatedAt, token.ExpiresAt, null, null), secret), cancellationToken);
    }

    /// <summary>Revokes one of the current user's tokens; someone else's token is "not found", not "refused".</summary>
    public Task<SaveResult<bool>> RevokeAsync(int id, CancellationToken cancellationToken = default) =>
        SafeSave.GuardAsync(() => RevokeCoreAsync(id, cancellationToken));

    private async Task<SaveResult<bool>> RevokeCoreAsync(int id, CancellationToken cancellationToken = default)
    {
        var userId = (await currentUser.GetAsync()).UserId();
        await using var db = await dbFactory.CreateForAsync(currentUser, cancellationToken);
        var token = userId is null ? null : await db.ApiTokens.SingleOrDefaultAsync(t => t.Id == id && t.UserId == userId, cancellationToken);
        if (token is null)
        {
            return SaveResult<bool>.NotFound("This token no longer exists.");
        }

        if (token.RevokedAt is not null)
        {
            return SaveResult<bool>.Ok(true);
        }

        token.RevokedAt = clock.GetUtcNow();
        var result = await SafeSave.SaveAsync(db, () => true, cancellationToken);
        // This instance stops accepting it at once; others within ApiTokenAuthenticationHandler.CacheFor.
        cache.Remove(ApiTokenAuthenticationHandler.CacheKey(token.Hash));
        return result;
    }

    /// <summary>What the token page and the command line say when a password-only session asks for an administrator's token.</summary>
    public const string AdministratorNeedsSecondFactor =
        "An administrator's token can only be created in a session signed in with the authenticator code. Sign out, sign in again with your code, then create the token.";

    /// <summary>Said by the API for a token revoked because its owner's password, role or two-factor sign-in changed.</summary>
    public const string RevokedBySecurityChange = "The account's password, role or two-factor sign-in changed after this token was created";

    public static byte[] StampHashOf(string? securityStamp) => SHA256.HashData(Encoding.UTF8.GetBytes(securityStamp ?? ""));

    public static byte[] HashOf(string secret) => SHA256.HashData(Encoding.UTF8.GetBytes(secret));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
