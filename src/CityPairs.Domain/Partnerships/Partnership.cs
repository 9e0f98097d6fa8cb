using CityPairs.Domain.Common;
using CityPairs.Domain.Reference;

namespace CityPairs.Domain.Partnerships;

/// <summary>
/// Two or more cities working together. Its status moves only along the lifecycle
/// Proposed -> Agreed -> Active -> Completed, or to Discontinued (with a reason) from any open state;
/// every move is kept in <see cref="StatusHistory"/>.
/// </summary>
public sealed class Partnership : Entity
{
    public const int MinimumMembers = 2;

    public required string Name { get; set; }

    public Modality Modality { get; set; } = Modality.Pairing;

    public PartnershipStatus Status { get; private set; } = PartnershipStatus.Proposed;

    /// <summary>When the partnership began, where known (Brasschaat-Tarija: 2004).</summary>
    public DateOnly? StartedOn { get; set; }

    public DateOnly? EndedOn { get; private set; }

    public string? DiscontinuationReason { get; private set; }

    public string Description { get; set; } = "";

    /// <summary>How the partners mean to stand on their own when support ends (seed 004 asks for it from the start).</summary>
    public string ExitStrategy { get; set; } = "";

    public List<PartnershipMember> Members { get; set; } = [];

    public List<PartnershipProgramme> Programmes { get; set; } = [];

    public List<Theme> Themes { get; set; } = [];

    public List<int> Sdgs { get; set; } = [];

    public List<Agreement> Agreements { get; set; } = [];

    public List<StatusChange> StatusHistory { get; set; } = [];

    public bool IsArchived { get; set; }

    /// <summary>Open partnerships can still be discontinued; completed and discontinued ones are closed.</summary>
    public bool IsClosed => Status is PartnershipStatus.Completed or PartnershipStatus.Discontinued;

    /// <summary>The statuses that may follow the current one; the UI shows only these actions.</summary>
    public IReadOnlyList<PartnershipStatus> AllowedNextStatuses() => Lifecycle.AllowedAfter(Status);

    /// <summary>Starts the history of a new partnership. Call once, when it is first proposed.</summary>
    public void Propose(DateOnly on, string? by = null)
    {
        if (StatusHistory.Count > 0)
        {
            throw new DomainRuleException("This partnership has already been proposed.");
        }

        Status = PartnershipStatus.Proposed;
        StatusHistory.Add(new StatusChange { From = null, To = PartnershipStatus.Proposed, On = on, By = by });
    }

    public void Agree(DateOnly on, Agreement? agreement = null, string? by = null)
    {
        MoveTo(PartnershipStatus.Agreed, on, reason: null, by);
        if (agreement is not null)
        {
            Agreements.Add(agreement);
        }
    }

    public void Activate(DateOnly on, string? by = null) => MoveTo(PartnershipStatus.Active, on, reason: null, by);

    public void Complete(DateOnly on, string? by = null)
    {
        MoveTo(PartnershipStatus.Completed, on, reason: null, by);
        EndedOn = on;
    }

    public void Discontinue(string reason, DateOnly on, string? by = null)
    {
        if (string.IsNullOrWhiteSpace(reason))
        {
            throw new DomainRuleException("Say why the partnership is discontinued: a reason is required.");
        }

        MoveTo(PartnershipStatus.Discontinued, on, reason.Trim(), by);
        EndedOn = on;
        DiscontinuationReason = reason.Trim();
    }

    private void MoveTo(PartnershipStatus next, DateOnly on, string? reason, string? by)
    {
        if (!Lifecycle.AllowedAfter(Status).Contains(next))
        {
            throw new DomainRuleException(Lifecycle.WhyNot(Status, next));
        }

        var last = StatusHistory.Count == 0 ? (DateOnly?)null : StatusHistory.Max(h => h.On);
        if (last is not null && on < last)
        {
            throw new DomainRuleException(
                $"The date {on:yyyy-MM-dd} is before the last status change ({last:yyyy-MM-dd}); a partnership's history runs forwards.");
        }

        StatusHistory.Add(new StatusChange { From = Status, To = next, On = on, Reason = reason, By = by });
        Status = next;
    }
}

/// <summary>The partnership lifecycle as one table, so the UI and the rules cannot disagree.</summary>
public static class Lifecycle
{
    private static readonly Dictionary<PartnershipStatus, PartnershipStatus[]> Next = new()
    {
        [PartnershipStatus.Proposed] = [PartnershipStatus.Agreed, PartnershipStatus.Discontinued],
        [PartnershipStatus.Agreed] = [PartnershipStatus.Active, PartnershipStatus.Discontinued],
        [PartnershipStatus.Active] = [PartnershipStatus.Completed, PartnershipStatus.Discontinued],
        [PartnershipStatus.Completed] = [],
        [PartnershipStatus.Discontinued] = [],
    };

    public static IReadOnlyList<PartnershipStatus> AllowedAfter(PartnershipStatus current) => Next[current];

    public static string WhyNot(PartnershipStatus current, PartnershipStatus wanted)
    {
        if (current == wanted)
        {
            return $"The partnership is already {current}.";
        }

        var allowed = Next[current];
        return allowed.Length == 0
            ? $"A {current} partnership is closed; it cannot become {wanted}."
            : $"A {current} partnership cannot become {wanted}; it can become {string.Join(" or ", allowed)}.";
    }
}

public sealed class PartnershipMember
{
    public int PartnershipId { get; set; }

    public int CityId { get; set; }

    public MemberRole Role { get; set; } = MemberRole.Partner;

    /// <summary>What this member hopes to get from the partnership: unspoken expectations are a known failure.</summary>
    public string Expectations { get; set; } = "";

    /// <summary>What this member brings.</summary>
    public string Contributions { get; set; } = "";
}

/// <summary>A partnership can run under several programmes over time (Brasschaat-Tarija outlived many).</summary>
public sealed class PartnershipProgramme
{
    public int PartnershipId { get; set; }

    public int ProgrammeId { get; set; }

    public DateOnly? From { get; set; }

    public DateOnly? To { get; set; }
}

public sealed class Agreement
{
    public int Id { get; set; }

    public int PartnershipId { get; set; }

    public AgreementKind Kind { get; set; }

    public DateOnly SignedOn { get; set; }

    public DateOnly? ValidUntil { get; set; }

    public string Note { get; set; } = "";
}

public sealed class StatusChange
{
    public int Id { get; set; }

    public int PartnershipId { get; set; }

    public PartnershipStatus? From { get; set; }

    public PartnershipStatus To { get; set; }

    public DateOnly On { get; set; }

    public string? Reason { get; set; }

    /// <summary>Who made the change; filled once accounts exist.</summary>
    public string? By { get; set; }
}
