using System.Globalization;
using System.Security.Claims;
using CityPairs.Domain.Partnerships;
using CityPairs.Web.Data;
using CityPairs.Web.Features.Accounts;
using CityPairs.Web.Features.Common;
using CityPairs.Web.Features.Notifications;
using CityPairs.Web.Features.Partnerships;
using Microsoft.EntityFrameworkCore;

namespace CityPairs.Web.Features.Invitations;

/// <summary>
/// The cities' side of a proposal: each invited city accepts, declines with a reason (which closes the proposal), or
/// asks a question; the officer agrees once all have accepted. Only those who act for the invited city answer for it
/// (<see cref="AccessRules.CanAnswerForCityAsync"/>); every answer tells the other side, in the same transaction.
/// </summary>
public sealed class InvitationService(
    IDbContextFactory<CityPairsDbContext> dbFactory, ICurrentUser currentUser, AccessRules rules, TimeProvider clock,
    ProposalInvitations invitations, PartnershipService partnerships, ILogger<InvitationService>? logger = null)
{
    private readonly PortfolioWrite _write = new(dbFactory, currentUser, logger);

    public const string ReasonRequiredMessage = "Say why the city declines: a reason is required.";
    public const string TextRequiredMessage = "Write the question first.";
    public const string ClosedMessage = "This proposal is no longer open, so its invitations cannot be answered.";

    public async Task<ProposalAnswers?> GetAsync(int partnershipId, CancellationToken cancellationToken = default)
    {
        var user = await currentUser.GetAsync();
        if (user.Identity?.IsAuthenticated != true)
        {
            return null;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var partnership = await db.Partnerships.AsNoTracking().Where(p => p.Id == partnershipId)
            .Select(p => new { p.Status, p.Version }).SingleOrDefaultAsync(cancellationToken);
        if (partnership is null)
        {
            return null;
        }

        var rows = await db.Invitations.AsNoTracking().Where(i => i.PartnershipId == partnershipId)
            .Join(db.Cities, i => i.CityId, c => c.Id, (i, c) => new { Invitation = i, CityName = c.Name })
            .OrderBy(x => x.CityName).ThenBy(x => x.Invitation.Id)
            .ToListAsync(cancellationToken);
        var questions = await db.ProposalQuestions.AsNoTracking().Where(q => q.PartnershipId == partnershipId)
            .OrderBy(q => q.CreatedAt).ThenBy(q => q.Id)
            .Join(db.Cities, q => q.CityId, c => c.Id, (q, c) => new QuestionView(q.Id, q.InvitationId, q.CityId, c.Name, q.AuthorName, q.CreatedAt, q.Text))
            .ToListAsync(cancellationToken);

        var open = partnership.Status == PartnershipStatus.Proposed;
        var followsProposal = open && await SpeaksForProposalAsync(db, user, partnershipId, cancellationToken);
        var views = new List<InvitationView>();
        foreach (var row in rows)
        {
            var i = row.Invitation;
            var forCity = open && await rules.CanAnswerForCityAsync(user, i.CityId, cancellationToken);
            views.Add(new InvitationView(i.Id, i.PartnershipId, i.CityId, row.CityName, i.Status, i.CreatedAt, i.AnsweredAt, i.AnsweredByName, i.DeclineReason, i.Version)
            {
                CanAnswer = forCity && !i.IsAnswered,
                CanAsk = forCity || followsProposal,
            });
        }

        return new ProposalAnswers(partnershipId, partnership.Status, partnership.Version, views, questions)
        {
            CanAgree = open && await rules.CanEditPartnershipAsync(user, partnershipId, cancellationToken),
        };
    }

    public Task<SaveResult<InvitationStatus>> AcceptAsync(int invitationId, CancellationToken cancellationToken = default) =>
        AnswerAsync(invitationId, reason: null, cancellationToken);

    public Task<SaveResult<InvitationStatus>> DeclineAsync(int invitationId, string? reason, CancellationToken cancellationToken = default) =>
        string.IsNullOrWhiteSpace(reason)
            ? Task.FromResult(SaveResult<InvitationStatus>.Invalid("Reason", ReasonRequiredMessage))
            : reason.Trim().Length > Invitation.ReasonMaxLength
                ? Task.FromResult(SaveResult<InvitationStatus>.Invalid("Reason", $"The reason is longer than {Invitation.ReasonMaxLength} characters."))
                : AnswerAsync(invitationId, reason, cancellationToken);

    /// <summary>An accept (no reason) or a decline (a reason), once, by someone who answers for the invited city.</summary>
    private Task<SaveResult<InvitationStatus>> AnswerAsync(int invitationId, string? reason, CancellationToken cancellationToken) =>
        _write.RunAsync(async write =>
        {
            var db = write.Db;
            var invitation = await db.Invitations.SingleOrDefaultAsync(i => i.Id == invitationId, cancellationToken);
            if (invitation is null)
            {
                return SaveResult<InvitationStatus>.NotFound("This invitation no longer exists.");
            }

            if (!await rules.CanAnswerForCityAsync(write.User, invitation.CityId, cancellationToken) || write.User.UserId() is not { } userId)
            {
                return SaveResult<InvitationStatus>.Forbidden("Only a coordinator of the invited city (or an administrator) answers for it.");
            }

            var partnership = await db.Partnerships.Include(p => p.StatusHistory).Include(p => p.Programmes).Include(p => p.Members)
                .AsSplitQuery().SingleAsync(p => p.Id == invitation.PartnershipId, cancellationToken);
            var cityName = await db.Cities.Where(c => c.Id == invitation.CityId).Select(c => c.Name).SingleAsync(cancellationToken);
            if (invitation.IsAnswered)
            {
                return SaveResult<InvitationStatus>.Conflict(AlreadyAnswered(invitation, cityName));
            }

            if (partnership.Status != PartnershipStatus.Proposed)
            {
                return SaveResult<InvitationStatus>.Refused(ClosedMessage);
            }

            var now = clock.GetUtcNow();
            var name = write.User.DisplayName();
            string title;
            string text;
            if (reason is null)
            {
                invitation.Accept(now, userId, name);
                // Decision 0004: a city that accepts joins the cities of the proposal's programmes, so their officers reach it.
                foreach (var programme in partnership.Programmes)
                {
                    if (!await db.ProgrammeCities.AnyAsync(pc => pc.ProgrammeId == programme.ProgrammeId && pc.CityId == invitation.CityId, cancellationToken))
                    {
                        db.ProgrammeCities.Add(new ProgrammeCity { ProgrammeId = programme.ProgrammeId, CityId = invitation.CityId });
                    }
                }

                var waiting = await db.Invitations.CountAsync(
                    i => i.PartnershipId == partnership.Id && i.Id != invitation.Id && i.Status != InvitationStatus.Accepted, cancellationToken);
                title = waiting == 0
                    ? $"Every city accepted {partnership.Name}: ready to agree"
                    : $"{cityName} accepted {partnership.Name}";
                text = waiting == 0
                    ? $"{cityName} accepted ({name}), the last of the invited cities. The officer can now agree the partnership."
                    : $"{cityName} accepted the proposal ({name}). {waiting.ToString(CultureInfo.InvariantCulture)} more to answer.";
                // The partnership row is touched too, so an accept and another city's decline at the same moment cannot
                // both commit: the second meets a newer version and is refused.
                db.Entry(partnership).Property(p => p.UpdatedAt).IsModified = true;
            }
            else
            {
                invitation.Decline(reason, now, userId, name);
                // A decline closes the proposal with its reason, through the lifecycle (Proposed -> Discontinued).
                partnership.Discontinue($"{cityName} declined: {reason.Trim()}", Today(partnership), name);
                title = $"{cityName} declined {partnership.Name}";
                text = $"{cityName} declined the proposal ({name}): {reason.Trim()} The proposal is closed, and Matches no longer suggests the pair.";
            }

            var recipients = await ProposalInvitations.FollowersAsync(db, partnership.Id, cancellationToken);
            await invitations.NotifyAsync(db, recipients.Where(r => r.UserId != userId),
                new Notice(ProposalInvitations.AnsweredKind, title, text, ProposalInvitations.LinkTo(partnership.Id)), cancellationToken);

            var saved = await write.SaveAsync(() => invitation.Status, cancellationToken);
            return saved.Problem == SaveProblem.Conflict ? await ExplainConflictAsync(invitationId, saved, cancellationToken) : saved;
        }, cancellationToken);

    /// <summary>
    /// A post in the invited city's thread: by someone who answers for that city, or by the proposer or an officer who
    /// runs the partnership (their reply). The other side is told.
    /// </summary>
    public Task<SaveResult<int>> AskAsync(int invitationId, string? text, CancellationToken cancellationToken = default) =>
        _write.RunAsync(async write =>
        {
            if (string.IsNullOrWhiteSpace(text))
            {
                return SaveResult<int>.Invalid("Text", TextRequiredMessage);
            }

            if (text.Trim().Length > ProposalQuestion.TextMaxLength)
            {
                return SaveResult<int>.Invalid("Text", $"A question is at most {ProposalQuestion.TextMaxLength} characters.");
            }

            var db = write.Db;
            var invitation = await db.Invitations.AsNoTracking().SingleOrDefaultAsync(i => i.Id == invitationId, cancellationToken);
            if (invitation is null)
            {
                return SaveResult<int>.NotFound("This invitation no longer exists.");
            }

            var user = write.User;
            if (user.UserId() is not { } userId ||
                !(await rules.CanAnswerForCityAsync(user, invitation.CityId, cancellationToken) ||
                  await SpeaksForProposalAsync(db, user, invitation.PartnershipId, cancellationToken)))
            {
                return SaveResult<int>.Forbidden("Only the invited city, the proposer and the officers of the partnership take part in its questions.");
            }

            var partnership = await db.Partnerships.AsNoTracking().Where(p => p.Id == invitation.PartnershipId)
                .Select(p => new { p.Id, p.Name, p.Status }).SingleAsync(cancellationToken);
            if (partnership.Status != PartnershipStatus.Proposed)
            {
                return SaveResult<int>.Refused("This proposal is no longer open for questions.");
            }

            var cityName = await db.Cities.Where(c => c.Id == invitation.CityId).Select(c => c.Name).SingleAsync(cancellationToken);
            var name = user.DisplayName() ?? userId;
            var question = new ProposalQuestion
            {
                PartnershipId = partnership.Id, InvitationId = invitation.Id, CityId = invitation.CityId,
                AuthorUserId = userId, AuthorName = name, Text = text.Trim(),
            };
            db.ProposalQuestions.Add(question);
            var recipients = await ProposalInvitations.FollowersAsync(db, partnership.Id, cancellationToken);
            await invitations.NotifyAsync(db, recipients.Where(r => r.UserId != userId), new Notice(
                ProposalInvitations.QuestionKind,
                $"New message about {partnership.Name} ({cityName})",
                $"{name} wrote: {Shorten(question.Text)}",
                ProposalInvitations.LinkTo(partnership.Id)), cancellationToken);
            return await write.SaveAsync(() => question.Id, cancellationToken);
        }, cancellationToken);

    /// <summary>
    /// "Ready to agree" in one step: Proposed -> Agreed today, through the partnership's lifecycle, which refuses it
    /// until every invited city has accepted (an administrator may record an agreement reached elsewhere).
    /// </summary>
    public async Task<SaveResult<PartnershipStatus>> AgreeAsync(int partnershipId, uint? version = null, CancellationToken cancellationToken = default)
    {
        if (version is null)
        {
            try
            {
                await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
                version = await db.Partnerships.Where(p => p.Id == partnershipId).Select(p => (uint?)p.Version).SingleOrDefaultAsync(cancellationToken);
            }
            catch (Exception ex) when (DatabaseOutage.Is(ex))
            {
                return SaveResult<PartnershipStatus>.Unavailable(DatabaseOutage.Message);
            }

            if (version is null)
            {
                return await rules.CanEditPartnershipAsync(await currentUser.GetAsync(), partnershipId, cancellationToken)
                    ? SaveResult<PartnershipStatus>.NotFound("This partnership no longer exists.")
                    : SaveResult<PartnershipStatus>.Forbidden();
            }
        }

        var today = DateOnly.FromDateTime(clock.GetLocalNow().DateTime);
        return await partnerships.ChangeStatusAsync(partnershipId, new StatusChangeRequest(PartnershipStatus.Agreed, today, version.Value), cancellationToken: cancellationToken);
    }

    /// <summary>The proposer, and whoever may edit the partnership (its officers, administrators), speak for the proposal.</summary>
    private async Task<bool> SpeaksForProposalAsync(CityPairsDbContext db, ClaimsPrincipal user, int partnershipId, CancellationToken cancellationToken) =>
        user.UserId() is { } userId &&
        (await rules.CanEditPartnershipAsync(user, partnershipId, cancellationToken) ||
         (AccessRules.CanProposePartnership(user) && await ProposalInvitations.ProposerIds(db, partnershipId).AnyAsync(id => id == userId, cancellationToken)));

    /// <summary>Someone else answered first, or the proposal closed meanwhile: say which, from a fresh read.</summary>
    private async Task<SaveResult<InvitationStatus>> ExplainConflictAsync(int invitationId, SaveResult<InvitationStatus> saved, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var now = await db.Invitations.AsNoTracking().SingleOrDefaultAsync(i => i.Id == invitationId, cancellationToken);
        if (now is null)
        {
            return SaveResult<InvitationStatus>.NotFound("This invitation no longer exists.");
        }

        if (now.IsAnswered)
        {
            var cityName = await db.Cities.Where(c => c.Id == now.CityId).Select(c => c.Name).SingleAsync(cancellationToken);
            return SaveResult<InvitationStatus>.Conflict(AlreadyAnswered(now, cityName));
        }

        var open = await db.Partnerships.AnyAsync(p => p.Id == now.PartnershipId && p.Status == PartnershipStatus.Proposed, cancellationToken);
        return open ? saved : SaveResult<InvitationStatus>.Conflict(ClosedMessage);
    }

    private static string AlreadyAnswered(Invitation invitation, string cityName) =>
        string.Create(CultureInfo.InvariantCulture,
            $"{cityName} has already answered this invitation: {invitation.Status.ToString().ToLowerInvariant()} by {invitation.AnsweredByName ?? "someone"} on {invitation.AnsweredAt:yyyy-MM-dd}. Reload to see the answer.");

    private DateOnly Today(Partnership partnership)
    {
        // A history runs forwards: a proposal dated later than today (an import's date) closes on that date.
        var today = DateOnly.FromDateTime(clock.GetLocalNow().DateTime);
        var last = partnership.StatusHistory.Count == 0 ? today : partnership.StatusHistory.Max(h => h.On);
        return last > today ? last : today;
    }

    private static string Shorten(string text) => text.Length <= 300 ? text : text[..299] + "…";
}
