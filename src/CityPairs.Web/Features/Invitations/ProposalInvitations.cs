using System.Globalization;
using System.Security.Claims;
using CityPairs.Domain.Partnerships;
using CityPairs.Web.Data;
using CityPairs.Web.Features.Accounts;
using CityPairs.Web.Features.Audit;
using CityPairs.Web.Features.Notifications;
using Microsoft.EntityFrameworkCore;

namespace CityPairs.Web.Features.Invitations;

/// <summary>Settings of the consent loop (section "Invitations").</summary>
public sealed class InvitationOptions
{
    public const string Section = "Invitations";

    /// <summary>An invitation still pending after this many days is re-sent, then again after each such period.</summary>
    public int ReminderAfterDays { get; set; } = 7;

    /// <summary>How often the reminder job looks for invitations that are due.</summary>
    public TimeSpan ReminderInterval { get; set; } = TimeSpan.FromHours(1);
}

/// <summary>
/// Invites the member cities of a new proposal, inside the writer's context (nothing is saved here), so the
/// partnership, its invitations and the messages that announce them commit together. Also who is told about what:
/// a city's people (its coordinators and its contacts active today), the proposer, and the officers of the
/// partnership's programmes.
/// </summary>
/// <remarks>
/// Notices are written in English, like the services' other messages: they are stored and e-mailed, read later by
/// people whose language the writer does not know.
/// </remarks>
public sealed class ProposalInvitations(Notifier notifier, TimeProvider clock)
{
    public const string InvitedKind = "invitation";
    public const string AnsweredKind = "invitation-answered";
    public const string QuestionKind = "proposal-question";
    public const string ReminderKind = "invitation-reminder";

    public static string LinkTo(int partnershipId) => string.Create(CultureInfo.InvariantCulture, $"/partnerships/{partnershipId}");

    /// <summary>
    /// One invitation per member city of <paramref name="partnership"/> (just added to <paramref name="db"/>); the
    /// city that expressed interest, if any, has already said yes. The others' people are told.
    /// </summary>
    public async Task InviteAsync(
        CityPairsDbContext db, Partnership partnership, ClaimsPrincipal by, int? interestedCityId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(partnership);
        // The invitations point at the partnership by id in the same SaveChanges, so it gets its id now.
        if (partnership.Id == 0)
        {
            partnership.Id = await db.NextIdAsync<Partnership>(cancellationToken);
        }

        var now = clock.GetUtcNow();
        var cityIds = partnership.Members.Select(m => m.CityId).ToList();
        var names = await db.Cities.Where(c => cityIds.Contains(c.Id)).ToDictionaryAsync(c => c.Id, c => c.Name, cancellationToken);
        foreach (var cityId in cityIds)
        {
            var invitation = new Invitation { PartnershipId = partnership.Id, CityId = cityId };
            if (cityId == interestedCityId && by.UserId() is { } userId)
            {
                invitation.Accept(now, userId, by.DisplayName());
            }

            db.Invitations.Add(invitation);
            if (invitation.IsAnswered)
            {
                continue;
            }

            var others = string.Join(", ", cityIds.Where(id => id != cityId).Select(id => names[id]));
            await notifier.NotifyAsync(db, await CityPeopleAsync(db, [cityId], cancellationToken), new Notice(
                InvitedKind,
                $"{names[cityId]} is invited to a partnership: {partnership.Name}",
                $"{by.DisplayName() ?? "Someone"} proposes that {names[cityId]} work with {others}. " +
                "Open the proposal to accept it, decline it with a reason, or ask a question.",
                LinkTo(partnership.Id)), cancellationToken);
        }
    }

    /// <summary>A city's coordinators (accounts assigned to it, still in the role) and its contacts active today.</summary>
    public async Task<List<Recipient>> CityPeopleAsync(CityPairsDbContext db, IReadOnlyCollection<int> cityIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var coordinators = await Coordinators(db, cityIds)
            .Select(u => new Recipient(u.Id, u.Email ?? "", u.DisplayName))
            .ToListAsync(cancellationToken);
        var contacts = await db.CityContacts.AsNoTracking()
            .Where(c => cityIds.Contains(c.CityId) && c.ActiveFrom <= today && (c.ActiveTo == null || c.ActiveTo >= today))
            .Select(c => new Recipient(null, c.Email, c.Name))
            .ToListAsync(cancellationToken);
        return [.. coordinators, .. contacts];
    }

    /// <summary>
    /// Those who follow a proposal from the other side: whoever proposed it, the officers of its programmes, and the
    /// coordinators of its member cities (the caller leaves out the one who acted).
    /// </summary>
    public static async Task<List<Recipient>> FollowersAsync(CityPairsDbContext db, int partnershipId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        var memberIds = await db.Partnerships.Where(p => p.Id == partnershipId).SelectMany(p => p.Members.Select(m => m.CityId)).ToListAsync(cancellationToken);
        var proposer = ProposerIds(db, partnershipId);
        var officers = db.ProgrammeAssignments
            .Where(a => db.Partnerships.Any(p => p.Id == partnershipId && p.Programmes.Any(pp => pp.ProgrammeId == a.ProgrammeId)))
            .Select(a => a.UserId);
        var coordinators = Coordinators(db, memberIds).Select(u => u.Id);
        return await db.Users.AsNoTracking()
            .Where(u => proposer.Contains(u.Id) || officers.Contains(u.Id) || coordinators.Contains(u.Id))
            .Select(u => new Recipient(u.Id, u.Email ?? "", u.DisplayName))
            .ToListAsync(cancellationToken);
    }

    /// <summary>The account that proposed the partnership: its audit trail's Created entry, which nobody writes by hand.</summary>
    public static IQueryable<string> ProposerIds(CityPairsDbContext db, int partnershipId)
    {
        ArgumentNullException.ThrowIfNull(db);
        return db.AuditEntries
            .Where(e => e.EntityType == nameof(Partnership) && e.EntityId == partnershipId && e.Action == AuditAction.Created && e.UserId != null)
            .Select(e => e.UserId!);
    }

    /// <summary>Tells people in the caller's context (reads their preferences without blocking the thread); does not save.</summary>
    public Task NotifyAsync(CityPairsDbContext db, IEnumerable<Recipient> recipients, Notice notice, CancellationToken cancellationToken) =>
        notifier.NotifyAsync(db, recipients, notice, cancellationToken);

    private static IQueryable<AppUser> Coordinators(CityPairsDbContext db, IReadOnlyCollection<int> cityIds) =>
        db.Users.AsNoTracking().Where(u =>
            db.CityAssignments.Any(a => a.UserId == u.Id && cityIds.Contains(a.CityId)) &&
            db.UserRoles.Any(ur => ur.UserId == u.Id && db.Roles.Any(r => r.Id == ur.RoleId && r.Name == Roles.CityCoordinator)));
}
