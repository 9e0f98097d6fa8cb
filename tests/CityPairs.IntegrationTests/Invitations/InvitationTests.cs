using System.Security.Claims;
using CityPairs.Domain.Cities;
using CityPairs.Domain.Partnerships;
using CityPairs.TestSupport;
using CityPairs.Web.Data.Seeding;
using CityPairs.Web.Features.Accounts;
using CityPairs.Web.Features.Audit;
using CityPairs.Web.Features.Cities;
using CityPairs.Web.Features.Common;
using CityPairs.Web.Features.Invitations;
using CityPairs.Web.Features.Matching;
using CityPairs.Web.Features.Notifications;
using CityPairs.Web.Features.Partnerships;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CityPairs.IntegrationTests.Invitations;

/// <summary>
/// The consent loop against a real PostgreSQL: a proposal invites its cities, only those who act for a city answer
/// for it, a decline closes the proposal and stops the matcher, the officer agrees once all have accepted, and
/// reminders go once per period even with two instances.
/// </summary>
public sealed class InvitationTests(PostgresDatabase database) : DatabaseTest(database)
{
    private const string QuitoContact = "quito.twinning@example.org";
    private const string QuitoFormerContact = "quito.former@example.org";

    private sealed record World(
        int Quito, int Leipzig, int Tarija, ClaimsPrincipal Facilitator, ClaimsPrincipal QuitoCoordinator, ClaimsPrincipal LeipzigCoordinator,
        ClaimsPrincipal TarijaCoordinator, ClaimsPrincipal Officer, ClaimsPrincipal OtherOfficer, ClaimsPrincipal Administrator, int Programme);

    private static ProposalInvitations Letters() =>
        new(new Notifier(Options.Create(new PublicLinkOptions()), TimeProvider.System), TimeProvider.System);

    private PartnershipService Partnerships(ClaimsPrincipal user) =>
        new(Database.Factory, new PartnershipFormValidator(), TimeProvider.System, TestUsers.As(user), Database.Rules(), invitations: Letters());

    private InvitationService Invitations(ClaimsPrincipal user) =>
        new(Database.Factory, TestUsers.As(user), Database.Rules(), TimeProvider.System, Letters(), Partnerships(user));

    private MatchingService Matching(ClaimsPrincipal user) =>
        new(new MatchingSnapshotCache(Database.Factory, NullLogger<MatchingSnapshotCache>.Instance), Database.Factory, TimeProvider.System,
            TestUsers.As(user), Partnerships(user));

    private InvitationReminders Reminders() =>
        new(Database.Factory, Letters(), Options.Create(new InvitationOptions()), TimeProvider.System, NullLogger<InvitationReminders>.Instance);

    /// <summary>An account in a role (the role row too: recipients are looked up by role), assigned to these cities or programmes.</summary>
    private async Task<ClaimsPrincipal> UserAsync(string role, int[]? cities = null, int[]? programmes = null)
    {
        var principal = await Database.AddUserAsync(role, cities, programmes);
        await using var db = Database.CreateDbContext();
        var row = await db.Roles.FirstOrDefaultAsync(r => r.Name == role);
        if (row is null)
        {
            row = new IdentityRole(role) { NormalizedName = role.ToUpperInvariant() };
            db.Roles.Add(row);
        }

        db.UserRoles.Add(new IdentityUserRole<string> { UserId = principal.UserId()!, RoleId = row.Id });
        await db.SaveChangesAsync();
        return role == Roles.Administrator
            ? TestUsers.Principal(principal.UserId()!, principal.DisplayName()!, role, mfa: true)
            : principal;
    }

    private async Task<World> WorldAsync()
    {
        int quito, leipzig, tarija, programme;
        await using (var db = Database.CreateDbContext())
        {
            await DemoData.SeedAsync(db);
            quito = await db.Cities.Where(c => c.Name == "Quito").Select(c => c.Id).SingleAsync();
            leipzig = await db.Cities.Where(c => c.Name == "Leipzig").Select(c => c.Id).SingleAsync();
            tarija = await db.Cities.Where(c => c.Name == "Tarija").Select(c => c.Id).SingleAsync();
            programme = await db.Programmes.Where(p => p.ShortName == "WC").Select(p => p.Id).SingleAsync();
            db.CityContacts.AddRange(
                new CityContact { CityId = quito, Name = "Quito Twinning Desk", Email = QuitoContact, ActiveFrom = new DateOnly(2020, 1, 1) },
                new CityContact { CityId = quito, Name = "Former Desk", Email = QuitoFormerContact, ActiveFrom = new DateOnly(2015, 1, 1), ActiveTo = new DateOnly(2019, 12, 31) });
            await db.SaveChangesAsync();
        }

        return new World(
            quito, leipzig, tarija,
            await UserAsync(Roles.Facilitator),
            await UserAsync(Roles.CityCoordinator, cities: [quito]),
            await UserAsync(Roles.CityCoordinator, cities: [leipzig]),
            await UserAsync(Roles.CityCoordinator, cities: [tarija]),
            await UserAsync(Roles.ProgrammeOfficer, programmes: [programme]),
            await UserAsync(Roles.ProgrammeOfficer),
            await UserAsync(Roles.Administrator),
            programme);
    }

    private static PartnershipForm Pair(World w, bool inProgramme = true) => new()
    {
        Name = "Quito - Leipzig",
        Members = [new MemberForm { CityId = w.Quito }, new MemberForm { CityId = w.Leipzig }],
        ProgrammeIds = inProgramme ? [w.Programme] : [],
        Sdgs = [11],
    };

    private async Task<int> ProposeAsync(World w, bool inProgramme = false)
    {
        var result = await Partnerships(w.Facilitator).CreateAsync(Pair(w, inProgramme));
        Assert.True(result.Succeeded, result.Message);
        return result.Value;
    }

    private async Task<Invitation> InvitationAsync(int partnershipId, int cityId)
    {
        await using var db = Database.CreateDbContext();
        return await db.Invitations.AsNoTracking().SingleAsync(i => i.PartnershipId == partnershipId && i.CityId == cityId);
    }

    private async Task<List<Notification>> InboxAsync(ClaimsPrincipal user)
    {
        await using var db = Database.CreateDbContext();
        var id = user.UserId();
        return await db.Notifications.AsNoTracking().Where(n => n.UserId == id).OrderBy(n => n.Id).ToListAsync();
    }

    private async Task<List<string>> OutboxToAsync()
    {
        await using var db = Database.CreateDbContext();
        return await db.OutboxMessages.AsNoTracking().Select(m => m.ToAddress).ToListAsync();
    }

    private async Task<PartnershipStatus> StatusAsync(int partnershipId)
    {
        await using var db = Database.CreateDbContext();
        return await db.Partnerships.Where(p => p.Id == partnershipId).Select(p => p.Status).SingleAsync();
    }

    [Fact]
    public async Task Proposing_invites_every_member_city_and_tells_its_coordinators_and_current_contacts()
    {
        var w = await WorldAsync();

        var id = await ProposeAsync(w);

        Assert.Equal(InvitationStatus.Pending, (await InvitationAsync(id, w.Quito)).Status);
        Assert.Equal(InvitationStatus.Pending, (await InvitationAsync(id, w.Leipzig)).Status);
        var told = Assert.Single(await InboxAsync(w.QuitoCoordinator));
        Assert.Equal(ProposalInvitations.InvitedKind, told.Kind);
        Assert.Equal($"/partnerships/{id}", told.LinkPath);
        Assert.Contains("Quito", told.Title, StringComparison.Ordinal);
        Assert.Single(await InboxAsync(w.LeipzigCoordinator));
        Assert.Empty(await InboxAsync(w.TarijaCoordinator));
        var mail = await OutboxToAsync();
        Assert.Contains(QuitoContact, mail);
        Assert.DoesNotContain(QuitoFormerContact, mail); // a contact whose term ended is not told
    }

    [Fact]
    public async Task A_partnership_registered_past_proposed_invites_nobody()
    {
        var w = await WorldAsync();
        var result = await Partnerships(w.Administrator).CreateAsync(Pair(w), new PartnershipStart(PartnershipStatus.Active, new DateOnly(2020, 1, 1)));

        Assert.True(result.Succeeded, result.Message);
        await using var db = Database.CreateDbContext();
        Assert.False(await db.Invitations.AnyAsync(i => i.PartnershipId == result.Value));
    }

    [Fact]
    public async Task An_imported_proposal_invites_its_cities_like_any_other_door()
    {
        var w = await WorldAsync();
        var import = new Web.Features.Import.PartnershipImport(Database.Factory, Partnerships(w.Administrator), TestUsers.As(w.Administrator));

        var result = await import.CommitAsync([new Web.Features.Import.NewPartnershipRow(Pair(w), PartnershipStart.Proposed)], null, CancellationToken.None);

        Assert.True(result.Committed, result.Message);
        await using var db = Database.CreateDbContext();
        var id = await db.Partnerships.Where(p => p.Name == "Quito - Leipzig").Select(p => p.Id).SingleAsync();
        Assert.Equal(2, await db.Invitations.CountAsync(i => i.PartnershipId == id && i.Status == InvitationStatus.Pending));
        Assert.Single(await InboxAsync(w.LeipzigCoordinator));
        Assert.Contains(QuitoContact, await OutboxToAsync());
    }

    [Fact]
    public async Task The_officer_agrees_only_once_every_city_has_accepted()
    {
        var w = await WorldAsync();
        var id = await ProposeAsync(w, inProgramme: true);
        var quito = await InvitationAsync(id, w.Quito);
        var leipzig = await InvitationAsync(id, w.Leipzig);

        Assert.True((await Invitations(w.QuitoCoordinator).AcceptAsync(quito.Id)).Succeeded);
        var early = await Invitations(w.Officer).AgreeAsync(id);
        Assert.Equal(SaveProblem.Refused, early.Problem);
        Assert.Equal(PartnershipService.NotAllAcceptedMessage, early.Message);
        // The lifecycle buttons are the same rule, not a way round it.
        var detail = await Partnerships(w.Officer).GetAsync(id);
        var byLifecycle = await Partnerships(w.Officer).ChangeStatusAsync(id, new StatusChangeRequest(PartnershipStatus.Agreed, DateOnly.FromDateTime(DateTime.Today), detail!.Version));
        Assert.Equal(SaveProblem.Refused, byLifecycle.Problem);
        Assert.False((await Invitations(w.Officer).GetAsync(id))!.ReadyToAgree);

        Assert.True((await Invitations(w.LeipzigCoordinator).AcceptAsync(leipzig.Id)).Succeeded);
        var answers = await Invitations(w.Officer).GetAsync(id);
        Assert.True(answers!.ReadyToAgree);
        Assert.True(answers.CanAgree);
        Assert.False((await Invitations(w.Facilitator).GetAsync(id))!.CanAgree);
        // The officer heard of each answer, and the last one says it is ready.
        Assert.Contains(await InboxAsync(w.Officer), n => n.Title.Contains("ready to agree", StringComparison.Ordinal));
        Assert.Contains(await InboxAsync(w.Facilitator), n => n.Kind == ProposalInvitations.AnsweredKind);

        var agreed = await Invitations(w.Officer).AgreeAsync(id);

        Assert.True(agreed.Succeeded, agreed.Message);
        Assert.Equal(PartnershipStatus.Agreed, await StatusAsync(id));
        // Decision 0004: the cities that accepted joined the programme's cities.
        await using var db = Database.CreateDbContext();
        Assert.True(await db.ProgrammeCities.AnyAsync(pc => pc.ProgrammeId == w.Programme && pc.CityId == w.Quito));
    }

    [Fact]
    public async Task An_administrator_may_record_an_agreement_reached_outside_before_every_city_answered()
    {
        var w = await WorldAsync();
        var id = await ProposeAsync(w);

        var agreed = await Invitations(w.Administrator).AgreeAsync(id);

        Assert.True(agreed.Succeeded, agreed.Message);
    }

    [Fact]
    public async Task Nobody_answers_for_a_city_they_do_not_act_for()
    {
        var w = await WorldAsync();
        var id = await ProposeAsync(w, inProgramme: true);
        var quito = await InvitationAsync(id, w.Quito);

        foreach (var intruder in new[] { w.LeipzigCoordinator, w.TarijaCoordinator, w.Facilitator, w.Officer, w.OtherOfficer, new ClaimsPrincipal(new ClaimsIdentity()) })
        {
            Assert.Equal(SaveProblem.Forbidden, (await Invitations(intruder).AcceptAsync(quito.Id)).Problem);
            Assert.Equal(SaveProblem.Forbidden, (await Invitations(intruder).DeclineAsync(quito.Id, "Not interested.")).Problem);
            Assert.False((await Invitations(intruder).GetAsync(id))?.Invitations.Single(i => i.CityId == w.Quito).CanAnswer ?? false);
        }

        Assert.Equal(InvitationStatus.Pending, (await InvitationAsync(id, w.Quito)).Status);
        Assert.Equal(PartnershipStatus.Proposed, await StatusAsync(id));
        // Its own coordinator and an administrator may.
        Assert.True((await Invitations(w.QuitoCoordinator).GetAsync(id))!.Invitations.Single(i => i.CityId == w.Quito).CanAnswer);
        Assert.True((await Invitations(w.Administrator).AcceptAsync(quito.Id)).Succeeded);
    }

    [Fact]
    public async Task An_invitation_is_answered_once_and_a_second_answer_says_who_answered_first()
    {
        var w = await WorldAsync();
        var id = await ProposeAsync(w);
        var quito = await InvitationAsync(id, w.Quito);
        var colleague = await UserAsync(Roles.CityCoordinator, cities: [w.Quito]);

        // Two coordinators of Quito answer at the same moment: one wins, the other is told.
        var results = await Task.WhenAll(
            Invitations(w.QuitoCoordinator).AcceptAsync(quito.Id),
            Invitations(colleague).DeclineAsync(quito.Id, "We have no capacity this year."));

        Assert.Single(results, r => r.Succeeded);
        var loser = Assert.Single(results, r => !r.Succeeded);
        Assert.Equal(SaveProblem.Conflict, loser.Problem);
        var again = await Invitations(w.QuitoCoordinator).AcceptAsync(quito.Id);
        Assert.Equal(SaveProblem.Conflict, again.Problem);
        Assert.Contains("has already answered", again.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_decline_needs_a_reason_closes_the_proposal_with_it_and_matches_stop_suggesting_the_pair_both_ways()
    {
        var w = await WorldAsync();
        var matching = Matching(w.Facilitator);
        Assert.Contains((await matching.SuggestAsync(w.Quito, null, null, null, limit: 1000)).Suggestions, s => s.CandidateId == w.Leipzig);
        var id = await ProposeAsync(w);
        var leipzig = await InvitationAsync(id, w.Leipzig);

        var bare = await Invitations(w.LeipzigCoordinator).DeclineAsync(leipzig.Id, "  ");
        Assert.Equal(SaveProblem.Invalid, bare.Problem);
        Assert.Equal(InvitationService.ReasonRequiredMessage, bare.Errors.Single().Message);

        var declined = await Invitations(w.LeipzigCoordinator).DeclineAsync(leipzig.Id, "Our climate team is committed elsewhere until 2028.");

        Assert.True(declined.Succeeded, declined.Message);
        var detail = await Partnerships(w.Facilitator).GetAsync(id);
        Assert.Equal(PartnershipStatus.Discontinued, detail!.Status);
        Assert.Equal("Leipzig declined: Our climate team is committed elsewhere until 2028.", detail.DiscontinuationReason);
        Assert.Contains(await InboxAsync(w.Facilitator), n => n.Title == "Leipzig declined Quito - Leipzig");
        // Quito can no longer accept a closed proposal.
        Assert.Equal(SaveProblem.Refused, (await Invitations(w.QuitoCoordinator).AcceptAsync((await InvitationAsync(id, w.Quito)).Id)).Problem);

        var fromQuito = await matching.SuggestAsync(w.Quito, null, null, null, limit: 1000);
        Assert.DoesNotContain(fromQuito.Suggestions, s => s.CandidateId == w.Leipzig);
        var no = Assert.Single(fromQuito.Declined);
        Assert.Equal(w.Leipzig, no.CandidateId);
        Assert.Equal("Leipzig", no.DeclinedByName);
        Assert.Equal("Our climate team is committed elsewhere until 2028.", no.Reason);
        var fromLeipzig = await matching.SuggestAsync(w.Leipzig, null, null, null, limit: 1000);
        Assert.DoesNotContain(fromLeipzig.Suggestions, s => s.CandidateId == w.Quito);
        Assert.Equal(w.Quito, Assert.Single(fromLeipzig.Declined).CandidateId);

        var proposeAgain = await matching.ProposeAsync(w.Quito, w.Leipzig, null);
        Assert.Equal(SaveProblem.Refused, proposeAgain.Problem);
        Assert.Contains("committed elsewhere", proposeAgain.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_coordinator_expresses_interest_for_their_own_city_only()
    {
        var w = await WorldAsync();

        var stranger = await Matching(w.TarijaCoordinator).ExpressInterestAsync(w.Quito, w.Leipzig, null);
        Assert.Equal(SaveProblem.Forbidden, stranger.Problem);
        // Proposing for others stays with facilitators, officers and administrators.
        Assert.Equal(SaveProblem.Forbidden, (await Matching(w.QuitoCoordinator).ProposeAsync(w.Quito, w.Leipzig, null)).Problem);

        var interest = await Matching(w.QuitoCoordinator).ExpressInterestAsync(w.Quito, w.Leipzig, null);

        Assert.True(interest.Succeeded, interest.Message);
        var own = await InvitationAsync(interest.Value, w.Quito);
        Assert.Equal(InvitationStatus.Accepted, own.Status);
        Assert.Equal(w.QuitoCoordinator.UserId(), own.AnsweredByUserId);
        Assert.Equal(InvitationStatus.Pending, (await InvitationAsync(interest.Value, w.Leipzig)).Status);
        Assert.Single(await InboxAsync(w.LeipzigCoordinator));
        Assert.Empty(await InboxAsync(w.QuitoCoordinator));
    }

    [Fact]
    public async Task Questions_go_to_the_other_side_and_only_those_in_the_proposal_take_part()
    {
        var w = await WorldAsync();
        var id = await ProposeAsync(w, inProgramme: true);
        var quito = await InvitationAsync(id, w.Quito);
        var otherFacilitator = await UserAsync(Roles.Facilitator);

        Assert.Equal(SaveProblem.Invalid, (await Invitations(w.QuitoCoordinator).AskAsync(quito.Id, " ")).Problem);
        foreach (var intruder in new[] { w.TarijaCoordinator, otherFacilitator, w.OtherOfficer, new ClaimsPrincipal(new ClaimsIdentity()) })
        {
            Assert.Equal(SaveProblem.Forbidden, (await Invitations(intruder).AskAsync(quito.Id, "May I join?")).Problem);
        }

        var asked = await Invitations(w.QuitoCoordinator).AskAsync(quito.Id, "Would the study visit be in spring?");
        Assert.True(asked.Succeeded, asked.Message);
        Assert.Contains(await InboxAsync(w.Facilitator), n => n.Kind == ProposalInvitations.QuestionKind && n.Text.Contains("spring", StringComparison.Ordinal));
        Assert.Contains(await InboxAsync(w.LeipzigCoordinator), n => n.Kind == ProposalInvitations.QuestionKind);
        Assert.DoesNotContain(await InboxAsync(w.QuitoCoordinator), n => n.Kind == ProposalInvitations.QuestionKind);

        var reply = await Invitations(w.Facilitator).AskAsync(quito.Id, "Yes, in April.");
        Assert.True(reply.Succeeded, reply.Message);
        Assert.Contains(await InboxAsync(w.QuitoCoordinator), n => n.Kind == ProposalInvitations.QuestionKind);
        var thread = (await Invitations(w.TarijaCoordinator).GetAsync(id))!.Questions;
        Assert.Equal(["Would the study visit be in spring?", "Yes, in April."], thread.Select(q => q.Text));
        Assert.All(thread, q => Assert.Equal("Quito", q.CityName));
    }

    [Fact]
    public async Task A_facilitator_sees_a_citys_contacts_only_once_it_accepted_their_proposal()
    {
        var w = await WorldAsync();
        var id = await ProposeAsync(w);
        var rules = Database.Rules();
        CityService Cities(ClaimsPrincipal user) => new(Database.Factory, new CityFormValidator(), TestUsers.As(user), rules);
        var otherFacilitator = await UserAsync(Roles.Facilitator);

        Assert.False((await rules.ContactScopeAsync(w.Facilitator)).Includes(w.Quito));
        Assert.Empty((await Cities(w.Facilitator).GetAsync(w.Quito))!.Contacts);

        Assert.True((await Invitations(w.QuitoCoordinator).AcceptAsync((await InvitationAsync(id, w.Quito)).Id)).Succeeded);

        Assert.True((await rules.ContactScopeAsync(w.Facilitator)).Includes(w.Quito));
        Assert.False((await rules.ContactScopeAsync(w.Facilitator)).Includes(w.Leipzig)); // Leipzig has not answered
        var city = await Cities(w.Facilitator).GetAsync(w.Quito);
        Assert.Contains(city!.Contacts, c => c.Email == QuitoContact);
        Assert.False(city.CanEdit); // seeing contacts is not editing the city
        // Another facilitator's proposal gave this one nothing.
        Assert.False((await rules.ContactScopeAsync(otherFacilitator)).Includes(w.Quito));
        Assert.Empty((await Cities(otherFacilitator).GetAsync(w.Quito))!.Contacts);
    }

    [Fact]
    public async Task Pending_invitations_are_reminded_once_per_period_even_by_two_instances_at_once()
    {
        var w = await WorldAsync();
        var id = await ProposeAsync(w);
        var fresh = await ProposeFreshAsync(w);
        Assert.Equal(0, await Reminders().RemindDueAsync());
        await using (var db = Database.CreateDbContext())
        {
            await db.Invitations.Where(i => i.PartnershipId == id).ExecuteUpdateAsync(s => s.SetProperty(i => i.CreatedAt, DateTimeOffset.UtcNow.AddDays(-8)));
        }

        var sent = await Task.WhenAll(Reminders().RemindDueAsync(), Reminders().RemindDueAsync());

        Assert.Equal(2, sent.Sum()); // Quito and Leipzig, once each
        Assert.Single(await InboxAsync(w.QuitoCoordinator), n => n.Kind == ProposalInvitations.ReminderKind);
        Assert.Equal(0, await Reminders().RemindDueAsync());
        // A week after the reminder, another; an answered invitation is not reminded.
        Assert.True((await Invitations(w.QuitoCoordinator).AcceptAsync((await InvitationAsync(id, w.Quito)).Id)).Succeeded);
        await using (var db = Database.CreateDbContext())
        {
            await db.Invitations.Where(i => i.PartnershipId == id).ExecuteUpdateAsync(s => s.SetProperty(i => i.LastRemindedAt, DateTimeOffset.UtcNow.AddDays(-8)));
        }

        Assert.Equal(1, await Reminders().RemindDueAsync());
        Assert.Equal(2, (await InboxAsync(w.LeipzigCoordinator)).Count(n => n.Kind == ProposalInvitations.ReminderKind));
        Assert.Single(await InboxAsync(w.QuitoCoordinator), n => n.Kind == ProposalInvitations.ReminderKind);
        Assert.Equal(InvitationStatus.Pending, (await InvitationAsync(fresh, w.Tarija)).Status);
    }

    private async Task<int> ProposeFreshAsync(World w)
    {
        var result = await Partnerships(w.Facilitator).CreateAsync(new PartnershipForm
        {
            Name = "Tarija - Leipzig", Members = [new MemberForm { CityId = w.Tarija }, new MemberForm { CityId = w.Leipzig }],
        });
        Assert.True(result.Succeeded, result.Message);
        return result.Value;
    }

    [Fact]
    public async Task Answers_and_questions_show_in_the_partnerships_history()
    {
        var w = await WorldAsync();
        var id = await ProposeAsync(w);
        var quito = await InvitationAsync(id, w.Quito);
        Assert.True((await Invitations(w.QuitoCoordinator).AskAsync(quito.Id, "Which department leads?")).Succeeded);
        Assert.True((await Invitations(w.QuitoCoordinator).AcceptAsync(quito.Id)).Succeeded);
        Assert.True((await Invitations(w.LeipzigCoordinator).DeclineAsync((await InvitationAsync(id, w.Leipzig)).Id, "No budget.")).Succeeded);

        var history = await new AuditService(Database.Factory, TestUsers.As(w.Facilitator), Database.Rules()).HistoryAsync("Partnership", id);

        Assert.Contains(history.Items, h => h.EntityType == nameof(Invitation) && h.EntityId == quito.Id && h.Action == AuditAction.Created);
        Assert.Contains(history.Items, h => h.EntityType == nameof(Invitation) && h.EntityId == quito.Id &&
            h.UserName == w.QuitoCoordinator.DisplayName() && h.Changes.Any(c => c.Property == "Status" && c.New == "Accepted"));
        Assert.Contains(history.Items, h => h.EntityType == nameof(Invitation) && h.Changes.Any(c => c.Property == "DeclineReason" && c.New == "No budget."));
        Assert.Contains(history.Items, h => h.EntityType == nameof(ProposalQuestion) && h.Changes.Any(c => c.New == "Which department leads?"));
    }
}
