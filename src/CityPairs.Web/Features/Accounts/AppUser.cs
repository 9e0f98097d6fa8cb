using Microsoft.AspNetCore.Identity;

namespace CityPairs.Web.Features.Accounts;

/// <summary>A person who signs in. What they may change follows from their roles and their assignments.</summary>
public sealed class AppUser : IdentityUser
{
    public string DisplayName { get; set; } = "";
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

/// <summary>The four roles. Anonymous visitors have none and see only the public directory.</summary>
public static class Roles
{
    public const string Administrator = "Administrator";
    public const string ProgrammeOfficer = "ProgrammeOfficer";
    public const string CityCoordinator = "CityCoordinator";
    public const string Facilitator = "Facilitator";

    public static readonly IReadOnlyList<string> All = [Administrator, ProgrammeOfficer, CityCoordinator, Facilitator];
}
