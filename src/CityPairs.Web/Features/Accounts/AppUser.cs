using Microsoft.AspNetCore.Identity;

namespace CityPairs.Web.Features.Accounts;

/// <summary>A person who signs in. What they may change follows from their roles and their assignments.</summary>
public sealed class AppUser : IdentityUser
{
    public string DisplayName { get; set; } = "";

    /// <summary>How this person wants to hear about notifications by e-mail; the in-app inbox always has them.</summary>
    public EmailPreference EmailPreference { get; set; } = EmailPreference.Immediately;

    /// <summary>When the last daily digest was written for this person (the next one starts from here).</summary>
    public DateTimeOffset? LastDigestAt { get; set; }
}

/// <summary>E-mail for notifications: one mail each, one daily digest, or none (account e-mails are always sent).</summary>
public enum EmailPreference
{
    Immediately,
    DailyDigest,
    Off,
}

/// <summary>A city coordinator looks after this city (profile, contacts, its partnerships' exchanges).</summary>
public sealed class CityAssignment
{
    public string UserId { get; set; } = "";

    public int CityId { get; set; }
}

/// <summary>A programme officer runs this programme (everything inside it).</summary>
public sealed class ProgrammeAssignment
{
    public string UserId { get; set; } = "";

    public int ProgrammeId { get; set; }
}

/// <summary>
/// A city a programme works with: the programme's officers may edit it and see its contacts. This is the only
/// source of an officer's reach over cities, and officers cannot write it for cities they did not register:
/// an administrator assigns it (the programme page), a city an officer registers is claimed for that officer's
/// programmes, and a city that accepts an invitation (the consent loop) joins it. Partnership membership grants
/// nothing, because an officer can put any city into a partnership. See docs/decisions/0004-access-scope.md.
/// </summary>
public sealed class ProgrammeCity
{
    public int ProgrammeId { get; set; }

    public int CityId { get; set; }
}

/// <summary>The four roles. Anonymous visitors have none and see only the public directory.</summary>
public static class Roles
{
    public const string Administrator = "Administrator";
    public const string ProgrammeOfficer = "ProgrammeOfficer";
    public const string CityCoordinator = "CityCoordinator";
    public const string Facilitator = "Facilitator";

    public static readonly IReadOnlyList<string> All = [Administrator, ProgrammeOfficer, CityCoordinator, Facilitator];
}
