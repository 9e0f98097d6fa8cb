namespace CityPairs.Web.Features.Accounts.SecurityLog;

public enum SecurityEventKind
{
    SignedIn,
    SignInFailed,
    LockedOut,
    RoleChanged,
    TwoFactorEnabled,
    TwoFactorDisabled,
    PasswordChanged,
}

/// <summary>
/// One security-relevant event of an account, kept for administrators (ASVS V7: who signed in, who failed, who was
/// locked out, whose role or second factor changed). Not an audited Entity: it is itself the record, and a failed
/// sign-in may name an address that has no account (<see cref="UserId"/> is null then).
/// </summary>
public sealed class SecurityEvent
{
    public long Id { get; set; }

    public DateTimeOffset At { get; set; }

    public SecurityEventKind Kind { get; set; }

    public string? UserId { get; set; }

    /// <summary>The account's e-mail, or what was typed into the sign-in form.</summary>
    public string Email { get; set; } = "";

    /// <summary>Who made the change, when not the person themselves (an administrator changing a role).</summary>
    public string? ActorName { get; set; }

    public string? ClientAddress { get; set; }

    public string Detail { get; set; } = "";
}
