using CityPairs.Domain.Common;

namespace CityPairs.Domain.Partnerships;

public enum InvitationStatus
{
    Pending = 1,
    Accepted = 2,
    Declined = 3,
}

/// <summary>
/// A proposal is a question to each member city (the city that seeks decides): one invitation per member, answered
/// once by someone who acts for that city. A decline carries its reason, because the proposal closes with it and the
/// matcher stops suggesting the pair.
/// </summary>
public sealed class Invitation : Entity
{
    public const int ReasonMaxLength = 2000;

    public int PartnershipId { get; set; }

    public int CityId { get; set; }

    public InvitationStatus Status { get; private set; } = InvitationStatus.Pending;

    public DateTimeOffset? AnsweredAt { get; private set; }

    public string? AnsweredByUserId { get; private set; }

    /// <summary>The answerer's sign-in name at the time, so the answer stays readable after the account goes.</summary>
    public string? AnsweredByName { get; private set; }

    public string? DeclineReason { get; private set; }

    /// <summary>When the city was last reminded of a pending invitation; reminders are at most one per period.</summary>
    public DateTimeOffset? LastRemindedAt { get; set; }

    public bool IsAnswered => Status != InvitationStatus.Pending;

    public void Accept(DateTimeOffset at, string userId, string? userName)
    {
        EnsurePending();
        Status = InvitationStatus.Accepted;
        Answered(at, userId, userName);
    }

    public void Decline(string reason, DateTimeOffset at, string userId, string? userName)
    {
        if (string.IsNullOrWhiteSpace(reason))
        {
            throw new DomainRuleException("Say why the city declines: a reason is required.");
        }

        if (reason.Trim().Length > ReasonMaxLength)
        {
            throw new DomainRuleException($"The reason is longer than {ReasonMaxLength} characters.");
        }

        EnsurePending();
        Status = InvitationStatus.Declined;
        DeclineReason = reason.Trim();
        Answered(at, userId, userName);
    }

    private void EnsurePending()
    {
        if (IsAnswered)
        {
            throw new DomainRuleException($"This invitation has already been answered ({Status.ToString().ToLowerInvariant()}).");
        }
    }

    private void Answered(DateTimeOffset at, string userId, string? userName)
    {
        AnsweredAt = at;
        AnsweredByUserId = userId;
        AnsweredByName = userName;
    }
}

/// <summary>
/// A post in a proposal's short thread: a question from an invited city, or the proposer's or an officer's reply.
/// <see cref="CityId"/> is the invited city the post is about (the thread runs per invitation).
/// </summary>
public sealed class ProposalQuestion : Entity
{
    public const int TextMaxLength = 2000;

    public int PartnershipId { get; set; }

    public int InvitationId { get; set; }

    public int CityId { get; set; }

    public string? AuthorUserId { get; set; }

    public required string AuthorName { get; set; }

    public required string Text { get; set; }
}
