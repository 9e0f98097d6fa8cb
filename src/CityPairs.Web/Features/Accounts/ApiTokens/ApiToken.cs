using CityPairs.Domain.Common;

namespace CityPairs.Web.Features.Accounts.ApiTokens;

/// <summary>
/// A personal access token for the API. Only the SHA-256 hash of the secret is kept (the secret is shown once, at
/// creation), plus its first characters so the owner can tell tokens apart. An <see cref="Entity"/>, so creating
/// and revoking one is in the audit trail like any other change.
/// </summary>
public sealed class ApiToken : Entity
{
    public string UserId { get; set; } = "";

    public string Name { get; set; } = "";

    /// <summary>The first characters of the secret ("cpt_Ab12Cd34"), safe to show.</summary>
    public string Prefix { get; set; } = "";

    /// <summary>SHA-256 of the whole secret; the secret itself is never stored.</summary>
    public byte[] Hash { get; set; } = [];

    public DateTimeOffset ExpiresAt { get; set; }

    /// <summary>Kept to the minute or so: not every request writes it (see ApiTokenService).</summary>
    public DateTimeOffset? LastUsedAt { get; set; }

    public DateTimeOffset? RevokedAt { get; set; }

    /// <summary>Why it was revoked when its owner did not do it themselves (a password reset, a role or 2FA change).</summary>
    public string? RevokedReason { get; set; }

    /// <summary>
    /// Whether the session that created it had passed the second factor (its "amr" claim). The token's own "amr" comes
    /// from here, never from the account at use time: enrolling two-factor sign-in later must not upgrade a token
    /// made in a password-only session.
    /// </summary>
    public bool CreatedWithSecondFactor { get; set; }

    /// <summary>
    /// SHA-256 of the account's security stamp when the token was created. Identity changes the stamp on a password
    /// reset, a role change and a 2FA change; a token whose stamp no longer matches is refused. Null for tokens made
    /// before this was recorded (they were revoked by the migration that added it).
    /// </summary>
    public byte[]? SecurityStampHash { get; set; }
}
