using CityPairs.Domain.Common;
using CityPairs.Domain.Partnerships;

namespace CityPairs.Domain.Programmes;

/// <summary>A funded framework that brings cities together (IUC, URBACT, URB-AL ...).</summary>
public sealed class Programme : Entity
{
    public required string Name { get; set; }

    public required string ShortName { get; set; }

    public string Funder { get; set; } = "";

    public DateOnly StartsOn { get; set; }

    public DateOnly? EndsOn { get; set; }

    public string Description { get; set; } = "";

    public List<Modality> Modalities { get; set; } = [];

    /// <summary>Who may take part, as data the matcher and the forms can check.</summary>
    public List<EligibilityRule> Eligibility { get; set; } = [];

    public string? Website { get; set; }

    /// <summary>The programme's own matching weights; null means the matcher's defaults.</summary>
    public ProgrammeMatchWeights? MatchWeights { get; set; }

    /// <summary>Every rule must hold for the member cities' regions.</summary>
    public IReadOnlyList<string> EligibilityProblems(IReadOnlyCollection<Region> memberRegions) =>
        Eligibility.Where(r => !r.IsMetBy(memberRegions)).Select(r => r.Describe()).ToList();
}

public enum EligibilityRuleKind
{
    /// <summary>At least one member lies in one of the regions.</summary>
    AtLeastOneMemberIn = 1,

    /// <summary>At least one member lies outside all of the regions.</summary>
    AtLeastOneMemberOutside = 2,

    /// <summary>Every member lies in one of the regions.</summary>
    AllMembersIn = 3,
}

/// <summary>One eligibility condition, for example "one member in Europe and one outside Europe" is two rules.</summary>
public sealed class EligibilityRule
{
    public EligibilityRuleKind Kind { get; set; }

    public List<Region> Regions { get; set; } = [];

    public bool IsMetBy(IReadOnlyCollection<Region> memberRegions) => Kind switch
    {
        EligibilityRuleKind.AtLeastOneMemberIn => memberRegions.Any(Regions.Contains),
        EligibilityRuleKind.AtLeastOneMemberOutside => memberRegions.Any(r => !Regions.Contains(r)),
        EligibilityRuleKind.AllMembersIn => memberRegions.All(Regions.Contains),
        _ => false,
    };

    public string Describe()
    {
        var regions = string.Join(" or ", Regions.Select(RegionNames.Of));
        return Kind switch
        {
            EligibilityRuleKind.AtLeastOneMemberIn => $"at least one member in {regions}",
            EligibilityRuleKind.AtLeastOneMemberOutside => $"at least one member outside {regions}",
            EligibilityRuleKind.AllMembersIn => $"every member in {regions}",
            _ => Kind.ToString(),
        };
    }
}
