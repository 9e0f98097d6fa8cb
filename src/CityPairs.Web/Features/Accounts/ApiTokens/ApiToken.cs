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
}
