using System.Security.Claims;
using CityPairs.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace CityPairs.Web.Features.Accounts;

/// <summary>
/// Who may change what: the one place the per-role, per-programme and per-city rules live. The policies
/// (pages, endpoints) and the services (every write, so a crafted request is refused too) both ask here.
/// <list type="bullet">
/// <item>Administrators (signed in with a second factor) may change everything.</item>
/// <item>Programme officers: the programmes assigned to them, the partnerships in those programmes and their
/// member cities, and records no programme claims yet (a city or partnership just registered).</item>
/// <item>City coordinators: their cities' profile and contacts, and the exchanges of the partnerships their
/// cities belong to; never a partnership itself or its status.</item>
/// <item>Facilitators read what is not private and propose partnerships.</item>
/// </list>
/// </summary>
public sealed class AccessRules(IDbContextFactory<CityPairsDbContext> dbFactory)
{
    public const string Refusal = "You are not allowed to make this change.";

    /// <summary>The amr claim SignInManager adds when the second factor was checked.</summary>
    public static bool IsAdministrator(ClaimsPrincipal user) =>
        user.IsInRole(Roles.Administrator) && user.HasClaim("amr", "mfa");

    public static bool IsOfficer(ClaimsPrincipal user) => user.IsInRole(Roles.ProgrammeOfficer);

    public static bool IsCoordinator(ClaimsPrincipal user) => user.IsInRole(Roles.CityCoordinator);

    public static bool CanRegisterCity(ClaimsPrincipal user) => IsAdministrator(user) || IsOfficer(user);

    public static bool CanRegisterProgramme(ClaimsPrincipal user) => IsAdministrator(user);

    public static bool CanProposePartnership(ClaimsPrincipal user) =>
        IsAdministrator(user) || IsOfficer(user) || user.IsInRole(Roles.Facilitator);

    public static bool CanUseMatches(ClaimsPrincipal user) => CanProposePartnership(user);

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

        if (!IsOfficer(user))
        {
            return false;
        }

        var programmesOfCity = db.Partnerships.Where(p => p.Members.Any(m => m.CityId == cityId))
            .SelectMany(p => p.Programmes.Select(pp => pp.ProgrammeId));
        return !await programmesOfCity.AnyAsync(cancellationToken) ||
            await programmesOfCity.AnyAsync(id => db.ProgrammeAssignments.Any(a => a.UserId == userId && a.ProgrammeId == id), cancellationToken);
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

    /// <summary>A partnership in one of the officer's programmes, or in none yet.</summary>
    private static async Task<bool> OfficerRunsPartnershipAsync(CityPairsDbContext db, string userId, int partnershipId, CancellationToken cancellationToken)
    {
        var programmeIds = db.Partnerships.Where(p => p.Id == partnershipId).SelectMany(p => p.Programmes.Select(pp => pp.ProgrammeId));
        return !await programmeIds.AnyAsync(cancellationToken) ||
            await programmeIds.AnyAsync(id => db.ProgrammeAssignments.Any(a => a.UserId == userId && a.ProgrammeId == id), cancellationToken);
    }
}
