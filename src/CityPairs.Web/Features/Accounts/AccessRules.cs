using System.Security.Claims;
using CityPairs.Web.Data;
using CityPairs.Web.Features.Common;
using Microsoft.EntityFrameworkCore;

namespace CityPairs.Web.Features.Accounts;

/// <summary>
/// Who may change what: the one place the per-role, per-programme and per-city rules live. The policies
/// (pages, endpoints) and the services (every write, so a crafted request is refused too) both ask here.
/// <list type="bullet">
/// <item>Administrators (signed in with a second factor) may change everything.</item>
/// <item>Programme officers: the programmes assigned to them; the partnerships in those programmes (and a
/// partnership in no programme they proposed, or whose member cities are all theirs); the cities their programmes work with
/// (<see cref="ProgrammeCity"/>). An officer's reach never follows from a record the officer can write: putting
/// a city into a partnership gives no right over the city, and records no programme claims are administrators'.</item>
/// <item>City coordinators: their cities' profile and contacts, and the exchanges of the partnerships their
/// cities belong to; never a partnership itself or its status.</item>
/// <item>Facilitators read what is not private and propose partnerships.</item>
/// </list>
/// Contacts are private: whoever may edit a city sees them, nobody else (<see cref="ContactScopeAsync"/>).
/// See docs/decisions/0004-access-scope.md.
/// </summary>
public sealed class AccessRules(IDbContextFactory<CityPairsDbContext> dbFactory)
{
    public const string Refusal = SaveResult<int>.ForbiddenMessage;

    /// <summary>The claim SignInManager adds with how the person signed in ("amr", RFC 8176).</summary>
    public const string AuthenticationMethodClaim = "amr";

    /// <summary>The <see cref="AuthenticationMethodClaim"/> value when the second factor was checked.</summary>
    public const string SecondFactor = "mfa";

    /// <summary>The amr claim SignInManager adds when the second factor was checked.</summary>
    public static bool IsAdministrator(ClaimsPrincipal user) =>
        user.IsInRole(Roles.Administrator) && user.HasClaim(AuthenticationMethodClaim, SecondFactor);

    public static bool IsOfficer(ClaimsPrincipal user) => user.IsInRole(Roles.ProgrammeOfficer);

    public static bool IsCoordinator(ClaimsPrincipal user) => user.IsInRole(Roles.CityCoordinator);

    public static bool CanRegisterCity(ClaimsPrincipal user) => IsAdministrator(user) || IsOfficer(user);

    public static bool CanRegisterProgramme(ClaimsPrincipal user) => IsAdministrator(user);

    public static bool CanProposePartnership(ClaimsPrincipal user) =>
        IsAdministrator(user) || IsOfficer(user) || user.IsInRole(Roles.Facilitator);

    /// <summary>
    /// Matches is for those who propose (any city) and for city coordinators, who look for partners for the cities
    /// they act for only (<see cref="MatchScopeAsync"/>): the city that seeks decides.
    /// </summary>
    public static bool CanUseMatches(ClaimsPrincipal user) => CanProposePartnership(user) || IsCoordinator(user);

    /// <summary>
    /// The cities this user may ask matches for: every city for administrators, officers and facilitators; a
    /// coordinator's assigned cities; none for anyone else. Matches, its compare view and the API ask here.
    /// </summary>
    public async Task<CityScope> MatchScopeAsync(ClaimsPrincipal user, CancellationToken cancellationToken = default)
    {
        if (CanProposePartnership(user))
        {
            return CityScope.Everything;
        }

        if (!IsCoordinator(user) || user.UserId() is not { } userId)
        {
            return CityScope.Nothing;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return new CityScope(false, (await db.CityAssignments.Where(a => a.UserId == userId).Select(a => a.CityId).ToListAsync(cancellationToken)).ToHashSet());
    }

    /// <summary>The calls for partners are read by everyone who works in the programme, never by anonymous visitors (they see public ones in the directory).</summary>
    public static bool CanReadCalls(ClaimsPrincipal user) => CanProposePartnership(user) || IsCoordinator(user);

    /// <summary>Expired and withdrawn calls are the programme's record, for officers and administrators.</summary>
    public static bool CanSeePastCalls(ClaimsPrincipal user) => IsAdministrator(user) || IsOfficer(user);

    /// <summary>Publishing a call: for someone who may edit some city (the form then offers those cities).</summary>
    public static bool CanPublishCalls(ClaimsPrincipal user) => IsAdministrator(user) || IsOfficer(user) || IsCoordinator(user);

    /// <summary>A call speaks for its city: whoever may edit the city (its coordinators, officers with reach, administrators) writes it.</summary>
    public Task<bool> CanPublishCallAsync(ClaimsPrincipal user, int cityId, CancellationToken cancellationToken = default) =>
        CanEditCityAsync(user, cityId, cancellationToken);

    public async Task<bool> CanEditCallAsync(ClaimsPrincipal user, int callId, CancellationToken cancellationToken = default)
    {
        int? cityId;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            cityId = await db.PartnerCalls.Where(c => c.Id == callId).Select(c => (int?)c.CityId).FirstOrDefaultAsync(cancellationToken);
        }

        // A call that does not exist is the page's "not found", not a refusal, for those who may publish at all.
        return cityId is { } id ? await CanEditCityAsync(user, id, cancellationToken) : CanPublishCalls(user);
    }

    public async Task<bool> CanEditCityAsync(ClaimsPrincipal user, int cityId, CancellationToken cancellationToken = default)
    {
        if (IsAdministrator(user))
        {
            return true;
        }

        var userId = user.UserId();
        if (userId is null)
        {
            return false;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (IsCoordinator(user) && await db.CityAssignments.AnyAsync(a => a.UserId == userId && a.CityId == cityId, cancellationToken))
        {
            return true;
        }

        return IsOfficer(user) && await OfficerCities(db, userId).AnyAsync(id => id == cityId, cancellationToken);
    }

    /// <summary>
    /// The cities whose contacts this user sees (those they may edit): every city for an administrator, the
    /// assigned cities for a coordinator, the programmes' cities for an officer, none for anyone else. Exports,
    /// the PDF summary and the history ask this once and filter many rows with it.
    /// </summary>
    public async Task<CityScope> ContactScopeAsync(ClaimsPrincipal user, CancellationToken cancellationToken = default)
    {
        if (IsAdministrator(user))
        {
            return CityScope.Everything;
        }

        if (user.UserId() is not { } userId)
        {
            return CityScope.Nothing;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var ids = new HashSet<int>();
        if (IsCoordinator(user))
        {
            ids.UnionWith(await db.CityAssignments.Where(a => a.UserId == userId).Select(a => a.CityId).ToListAsync(cancellationToken));
        }

        if (IsOfficer(user))
        {
            ids.UnionWith(await OfficerCities(db, userId).ToListAsync(cancellationToken));
        }

        if (user.IsInRole(Roles.Facilitator))
        {
            ids.UnionWith(await FacilitatorCities(db, userId).ToListAsync(cancellationToken));
        }

        return new CityScope(false, ids);
    }

    /// <summary>
    /// Whether this user sees one city's contacts: whoever may edit it, and a facilitator once the city has accepted
    /// an invitation in a proposal that facilitator made (they need to reach the people they brought together).
    /// </summary>
    public async Task<bool> SeesContactsAsync(ClaimsPrincipal user, int cityId, CancellationToken cancellationToken = default)
    {
        if (await CanEditCityAsync(user, cityId, cancellationToken))
        {
            return true;
        }

        if (!user.IsInRole(Roles.Facilitator) || user.UserId() is not { } userId)
        {
            return false;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await FacilitatorCities(db, userId).AnyAsync(id => id == cityId, cancellationToken);
    }

    /// <summary>
    /// Who answers an invitation for a city: its coordinators, and administrators. An officer or a facilitator
    /// does not speak for a city (the city that seeks decides).
    /// </summary>
    public async Task<bool> CanAnswerForCityAsync(ClaimsPrincipal user, int cityId, CancellationToken cancellationToken = default)
    {
        if (IsAdministrator(user))
        {
            return true;
        }

        if (!IsCoordinator(user) || user.UserId() is not { } userId)
        {
            return false;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.CityAssignments.AnyAsync(a => a.UserId == userId && a.CityId == cityId, cancellationToken);
    }

    public const string NoProgrammeMessage =
        "You run no programme yet, so a city you register would be out of your reach. Ask an administrator to assign you a programme.";

    /// <summary>
    /// May this person register cities, and which programmes claim the cities they register? Administrators
    /// register unclaimed cities; an officer's cities are claimed for the programmes they run, so they can go on
    /// editing them (an officer without a programme is refused: the city would be out of their reach). The city
    /// form and the CSV/Excel import both ask here.
    /// </summary>
    public async Task<CityRegistration> CityRegistrationAsync(ClaimsPrincipal user, CancellationToken cancellationToken = default)
    {
        if (!CanRegisterCity(user))
        {
            return new CityRegistration(Refusal, []);
        }

        if (IsAdministrator(user))
        {
            return new CityRegistration(null, []);
        }

        var programmes = await ProgrammesRunByAsync(user, cancellationToken);
        return programmes.Count == 0 ? new CityRegistration(NoProgrammeMessage, []) : new CityRegistration(null, programmes);
    }

    /// <summary>The programmes this officer runs (empty for anyone else; administrators are not asked).</summary>
    public async Task<IReadOnlyList<int>> ProgrammesRunByAsync(ClaimsPrincipal user, CancellationToken cancellationToken = default)
    {
        if (!IsOfficer(user) || user.UserId() is not { } userId)
        {
            return [];
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.ProgrammeAssignments.Where(a => a.UserId == userId).Select(a => a.ProgrammeId).ToListAsync(cancellationToken);
    }

    /// <summary>Details, members, programmes, status and archiving of a partnership.</summary>
    public async Task<bool> CanEditPartnershipAsync(ClaimsPrincipal user, int partnershipId, CancellationToken cancellationToken = default)
    {
        if (IsAdministrator(user))
        {
            return true;
        }

        if (!IsOfficer(user) || user.UserId() is not { } userId)
        {
            return false;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await OfficerRunsPartnershipAsync(db, userId, partnershipId, cancellationToken);
    }

    /// <summary>Logging, editing and removing the exchanges of a partnership.</summary>
    public async Task<bool> CanLogExchangeAsync(ClaimsPrincipal user, int partnershipId, CancellationToken cancellationToken = default)
    {
        if (IsAdministrator(user))
        {
            return true;
        }

        var userId = user.UserId();
        if (userId is null)
        {
            return false;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (IsCoordinator(user) && await db.Partnerships.AnyAsync(
                p => p.Id == partnershipId && p.Members.Any(m => db.CityAssignments.Any(a => a.UserId == userId && a.CityId == m.CityId)),
                cancellationToken))
        {
            return true;
        }

        return IsOfficer(user) && await OfficerRunsPartnershipAsync(db, userId, partnershipId, cancellationToken);
    }

    public async Task<bool> CanEditExchangeAsync(ClaimsPrincipal user, int exchangeId, CancellationToken cancellationToken = default)
    {
        int? partnershipId;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            partnershipId = await db.Exchanges.Where(e => e.Id == exchangeId).Select(e => (int?)e.PartnershipId).FirstOrDefaultAsync(cancellationToken);
        }

        // An exchange that does not exist is the page's "not found", not a refusal, for those who may log exchanges at all.
        return partnershipId is { } id ? await CanLogExchangeAsync(user, id, cancellationToken) : IsAdministrator(user) || IsOfficer(user) || IsCoordinator(user);
    }

    public async Task<bool> CanManageProgrammeAsync(ClaimsPrincipal user, int programmeId, CancellationToken cancellationToken = default)
    {
        if (IsAdministrator(user))
        {
            return true;
        }

        if (!IsOfficer(user) || user.UserId() is not { } userId)
        {
            return false;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.ProgrammeAssignments.AnyAsync(a => a.UserId == userId && a.ProgrammeId == programmeId, cancellationToken);
    }

    /// <summary>May this officer attach a partnership to these programmes? Only to programmes they run.</summary>
    public async Task<bool> CanUseProgrammesAsync(ClaimsPrincipal user, IReadOnlyCollection<int> programmeIds, CancellationToken cancellationToken = default)
    {
        if (IsAdministrator(user) || programmeIds.Count == 0)
        {
            return true;
        }

        if (!IsOfficer(user) || user.UserId() is not { } userId)
        {
            return false;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var mine = await db.ProgrammeAssignments.CountAsync(a => a.UserId == userId && programmeIds.Contains(a.ProgrammeId), cancellationToken);
        return mine == programmeIds.Distinct().Count();
    }

    /// <summary>
    /// A partnership in one of the officer's programmes; or in no programme yet, when the officer proposed it or
    /// every member city is one the officer's programmes work with (a facilitator's proposal between their
    /// cities). Another's proposal in no programme with a city outside the officer's reach is an administrator's
    /// to place. Running a partnership gives no right over its cities.
    /// </summary>
    private static async Task<bool> OfficerRunsPartnershipAsync(CityPairsDbContext db, string userId, int partnershipId, CancellationToken cancellationToken)
    {
        var partnership = db.Partnerships.Where(p => p.Id == partnershipId);
        var programmeIds = partnership.SelectMany(p => p.Programmes.Select(pp => pp.ProgrammeId));
        if (await programmeIds.AnyAsync(cancellationToken))
        {
            return await programmeIds.AnyAsync(id => db.ProgrammeAssignments.Any(a => a.UserId == userId && a.ProgrammeId == id), cancellationToken);
        }

        // The officer who proposed it (the audit trail's Created entry, which nobody can write) takes it on; so does
        // an officer whose programmes work with every member city.
        if (await db.AuditEntries.AnyAsync(
                e => e.EntityType == nameof(Domain.Partnerships.Partnership) && e.EntityId == partnershipId && e.Action == Audit.AuditAction.Created && e.UserId == userId,
                cancellationToken))
        {
            return true;
        }

        var mine = OfficerCities(db, userId);
        return await partnership.AnyAsync(p => p.Members.Any() && p.Members.All(m => mine.Contains(m.CityId)), cancellationToken);
    }

    /// <summary>
    /// The cities that accepted an invitation in a proposal this facilitator made (the partnership's Created audit
    /// entry is theirs): the city said yes to being put in touch, so its contacts are no longer withheld from them.
    /// </summary>
    private static IQueryable<int> FacilitatorCities(CityPairsDbContext db, string userId) =>
        db.Invitations
            .Where(i => i.Status == Domain.Partnerships.InvitationStatus.Accepted && db.AuditEntries.Any(e =>
                e.EntityType == nameof(Domain.Partnerships.Partnership) && e.EntityId == i.PartnershipId &&
                e.Action == Audit.AuditAction.Created && e.UserId == userId))
            .Select(i => i.CityId);

    /// <summary>The cities an officer's programmes work with: written by administrators, never by the officer.</summary>
    private static IQueryable<int> OfficerCities(CityPairsDbContext db, string userId) =>
        db.ProgrammeCities
            .Where(pc => db.ProgrammeAssignments.Any(a => a.UserId == userId && a.ProgrammeId == pc.ProgrammeId))
            .Select(pc => pc.CityId);
}

/// <summary>Whether a person may register cities (<see cref="Refusal"/> is null) and the programmes that claim them.</summary>
public sealed record CityRegistration(string? Refusal, IReadOnlyList<int> ClaimingProgrammes);

/// <summary>A set of cities (or all of them), read once and asked for many rows.</summary>
public sealed record CityScope(bool All, IReadOnlySet<int> Ids)
{
    public static CityScope Everything { get; } = new(true, new HashSet<int>());

    public static CityScope Nothing { get; } = new(false, new HashSet<int>());

    public bool Includes(int cityId) => All || Ids.Contains(cityId);
}
