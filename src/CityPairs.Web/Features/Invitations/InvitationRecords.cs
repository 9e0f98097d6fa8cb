using CityPairs.Domain.Partnerships;

namespace CityPairs.Web.Features.Invitations;

/// <summary>One member city's answer as the partnership page and the API show it.</summary>
public sealed record InvitationView(
    int Id, int PartnershipId, int CityId, string CityName, InvitationStatus Status, DateTimeOffset InvitedAt,
    DateTimeOffset? AnsweredAt, string? AnsweredBy, string? DeclineReason, uint Version)
{
    /// <summary>The current user answers for this city (its coordinator, or an administrator) and it is still open.</summary>
    public bool CanAnswer { get; init; }

    /// <summary>The current user may post in this city's thread (the city's side, or the proposer's and officers' side).</summary>
    public bool CanAsk { get; init; }
}

/// <summary>A post in the proposal's thread.</summary>
public sealed record QuestionView(int Id, int InvitationId, int CityId, string CityName, string AuthorName, DateTimeOffset At, string Text);

/// <summary>Everything the invitations panel shows for one partnership.</summary>
public sealed record ProposalAnswers(
    int PartnershipId, PartnershipStatus Status, uint PartnershipVersion,
    IReadOnlyList<InvitationView> Invitations, IReadOnlyList<QuestionView> Questions)
{
    /// <summary>The current user may agree the partnership (the officer who runs it, or an administrator).</summary>
    public bool CanAgree { get; init; }

    /// <summary>Every invited member has accepted and the proposal is still open.</summary>
    public bool ReadyToAgree => Status == PartnershipStatus.Proposed && Invitations.Count > 0 && Invitations.All(i => i.Status == InvitationStatus.Accepted);
}

/// <summary>
/// A decline sent to the API. Answers carry no version: an invitation is answered once, and a second answer is refused
/// as a conflict whatever the client last read.
/// </summary>
public sealed record DeclineRequest(string? Reason);

/// <summary>A question (or a reply) sent to the API.</summary>
public sealed record QuestionRequest(string? Text);

/// <summary>Agreeing a proposal through the API; the version is optional.</summary>
public sealed record AgreeRequest(uint? Version = null);
