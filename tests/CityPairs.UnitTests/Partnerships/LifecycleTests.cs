using CityPairs.Domain.Common;
using CityPairs.Domain.Partnerships;

namespace CityPairs.UnitTests.Partnerships;

public sealed class LifecycleTests
{
    private static readonly DateOnly Day = new(2024, 3, 1);

    private static Partnership Proposed()
    {
        var partnership = new Partnership { Name = "Brasschaat - Tarija" };
        partnership.Propose(Day);
        return partnership;
    }

    private static Partnership In(PartnershipStatus status)
    {
        var p = Proposed();
        switch (status)
        {
            case PartnershipStatus.Agreed:
                p.Agree(Day);
                break;
            case PartnershipStatus.Active:
                p.Agree(Day);
                p.Activate(Day);
                break;
            case PartnershipStatus.Completed:
                p.Agree(Day);
                p.Activate(Day);
                p.Complete(Day);
                break;
            case PartnershipStatus.Discontinued:
                p.Discontinue("Mandates changed after the elections.", Day);
                break;
        }

        return p;
    }

    private static void Apply(Partnership p, PartnershipStatus to, string reason = "A reason.")
    {
        switch (to)
        {
            case PartnershipStatus.Agreed: p.Agree(Day.AddDays(1)); break;
            case PartnershipStatus.Active: p.Activate(Day.AddDays(1)); break;
            case PartnershipStatus.Completed: p.Complete(Day.AddDays(1)); break;
            case PartnershipStatus.Discontinued: p.Discontinue(reason, Day.AddDays(1)); break;
            default: throw new ArgumentOutOfRangeException(nameof(to));
        }
    }

    public static TheoryData<PartnershipStatus, PartnershipStatus> LegalMoves => new()
    {
        { PartnershipStatus.Proposed, PartnershipStatus.Agreed },
        { PartnershipStatus.Proposed, PartnershipStatus.Discontinued },
        { PartnershipStatus.Agreed, PartnershipStatus.Active },
        { PartnershipStatus.Agreed, PartnershipStatus.Discontinued },
        { PartnershipStatus.Active, PartnershipStatus.Completed },
        { PartnershipStatus.Active, PartnershipStatus.Discontinued },
    };

    public static TheoryData<PartnershipStatus, PartnershipStatus> IllegalMoves
    {
        get
        {
            var data = new TheoryData<PartnershipStatus, PartnershipStatus>();
            var legal = LegalMoves.Select(row => ((PartnershipStatus)row[0], (PartnershipStatus)row[1])).ToHashSet();
            var targets = new[] { PartnershipStatus.Agreed, PartnershipStatus.Active, PartnershipStatus.Completed, PartnershipStatus.Discontinued };
            foreach (var from in Enum.GetValues<PartnershipStatus>())
            {
                foreach (var to in targets.Where(to => !legal.Contains((from, to))))
                {
                    data.Add(from, to);
                }
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(LegalMoves))]
    public void A_legal_move_changes_the_status_and_is_recorded_in_the_history(PartnershipStatus from, PartnershipStatus to)
    {
        var partnership = In(from);
        var historyBefore = partnership.StatusHistory.Count;

        Apply(partnership, to);

        Assert.Equal(to, partnership.Status);
        Assert.Equal(historyBefore + 1, partnership.StatusHistory.Count);
        var last = partnership.StatusHistory[^1];
        Assert.Equal(from, last.From);
        Assert.Equal(to, last.To);
        Assert.Equal(Day.AddDays(1), last.On);
    }

    [Theory]
    [MemberData(nameof(IllegalMoves))]
    public void An_illegal_move_is_refused_with_a_message_and_changes_nothing(PartnershipStatus from, PartnershipStatus to)
    {
        var partnership = In(from);
        var historyBefore = partnership.StatusHistory.Count;

        var error = Assert.Throws<DomainRuleException>(() => Apply(partnership, to));

        Assert.Contains(from.ToString(), error.Message, StringComparison.Ordinal);
        Assert.Equal(from, partnership.Status);
        Assert.Equal(historyBefore, partnership.StatusHistory.Count);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void Discontinuing_needs_a_reason(string reason)
    {
        var partnership = In(PartnershipStatus.Active);

        var error = Assert.Throws<DomainRuleException>(() => partnership.Discontinue(reason, Day));

        Assert.Contains("reason", error.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(PartnershipStatus.Active, partnership.Status);
        Assert.Null(partnership.DiscontinuationReason);
    }

    [Fact]
    public void Discontinuing_keeps_the_reason_and_the_date()
    {
        var partnership = In(PartnershipStatus.Active);

        partnership.Discontinue("  The symbolic sister-city bond remains.  ", new DateOnly(2025, 6, 30));

        Assert.Equal("The symbolic sister-city bond remains.", partnership.DiscontinuationReason);
        Assert.Equal(new DateOnly(2025, 6, 30), partnership.EndedOn);
        Assert.Equal("The symbolic sister-city bond remains.", partnership.StatusHistory[^1].Reason);
    }

    [Fact]
    public void Agreeing_with_an_agreement_records_the_agreement()
    {
        var partnership = Proposed();
        var protocol = new Agreement { Kind = AgreementKind.Protocol, SignedOn = new DateOnly(2024, 4, 15), ValidUntil = new DateOnly(2028, 4, 14) };

        partnership.Agree(new DateOnly(2024, 4, 15), protocol);

        Assert.Same(protocol, Assert.Single(partnership.Agreements));
    }

    [Fact]
    public void A_status_change_cannot_be_dated_before_the_previous_one()
    {
        var partnership = Proposed();

        var error = Assert.Throws<DomainRuleException>(() => partnership.Agree(Day.AddDays(-1)));

        Assert.Contains("before the last status change", error.Message, StringComparison.Ordinal);
        Assert.Equal(PartnershipStatus.Proposed, partnership.Status);
    }

    [Fact]
    public void A_partnership_is_proposed_only_once()
    {
        var partnership = Proposed();

        Assert.Throws<DomainRuleException>(() => partnership.Propose(Day));
        Assert.Single(partnership.StatusHistory);
    }

    [Theory]
    [InlineData(PartnershipStatus.Proposed, new[] { PartnershipStatus.Agreed, PartnershipStatus.Discontinued })]
    [InlineData(PartnershipStatus.Agreed, new[] { PartnershipStatus.Active, PartnershipStatus.Discontinued })]
    [InlineData(PartnershipStatus.Active, new[] { PartnershipStatus.Completed, PartnershipStatus.Discontinued })]
    [InlineData(PartnershipStatus.Completed, new PartnershipStatus[0])]
    [InlineData(PartnershipStatus.Discontinued, new PartnershipStatus[0])]
    public void The_actions_offered_are_exactly_the_legal_ones(PartnershipStatus status, PartnershipStatus[] expected)
    {
        Assert.Equal(expected, In(status).AllowedNextStatuses());
    }
}
