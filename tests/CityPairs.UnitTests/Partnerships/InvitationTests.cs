using CityPairs.Domain.Common;
using CityPairs.Domain.Partnerships;

namespace CityPairs.UnitTests.Partnerships;

public sealed class InvitationTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void An_accept_records_who_and_when()
    {
        var invitation = new Invitation { PartnershipId = 1, CityId = 2 };

        invitation.Accept(Now, "u1", "coordinator@example.org");

        Assert.Equal(InvitationStatus.Accepted, invitation.Status);
        Assert.Equal(Now, invitation.AnsweredAt);
        Assert.Equal("u1", invitation.AnsweredByUserId);
        Assert.Null(invitation.DeclineReason);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void A_decline_without_a_reason_is_refused_and_leaves_it_pending(string reason)
    {
        var invitation = new Invitation();

        var refused = Assert.Throws<DomainRuleException>(() => invitation.Decline(reason, Now, "u1", null));

        Assert.Contains("reason is required", refused.Message, StringComparison.Ordinal);
        Assert.Equal(InvitationStatus.Pending, invitation.Status);
        Assert.Null(invitation.AnsweredAt);
    }

    [Fact]
    public void An_invitation_is_answered_once()
    {
        var invitation = new Invitation();
        invitation.Decline("  No capacity this year. ", Now, "u1", null);

        Assert.Equal("No capacity this year.", invitation.DeclineReason);
        Assert.Throws<DomainRuleException>(() => invitation.Accept(Now, "u2", null));
        Assert.Throws<DomainRuleException>(() => invitation.Decline("Changed our mind.", Now, "u2", null));
        Assert.Equal(InvitationStatus.Declined, invitation.Status);
        Assert.Equal("u1", invitation.AnsweredByUserId);
    }
}
