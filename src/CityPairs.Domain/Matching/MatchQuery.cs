using CityPairs.Domain.Common;
using CityPairs.Domain.Programmes;

namespace CityPairs.Domain.Matching;

/// <summary>
/// Who we look for partners for, and the hard limits on who may be suggested. The caller passes the
/// partnership facts (the engine knows no database): cities already Agreed or Active with this city go in
/// <see cref="ExcludedCityIds"/>; cities it once discontinued with go in
/// <see cref="DiscontinuedWithCityIds"/> and are flagged, not hidden, because a past attempt is worth
/// knowing about, not a ban.
/// </summary>
public sealed record MatchQuery(int CityId)
{
    public const int DefaultLimit = 20;
    public const int MaxLimit = 1000;

    /// <summary>A programme's rules; the city and the candidate together must satisfy every one.</summary>
    public IReadOnlyList<EligibilityRule> Eligibility { get; init; } = [];

    public IReadOnlyCollection<int> ExcludedCityIds { get; init; } = [];

    public IReadOnlyCollection<int> DiscontinuedWithCityIds { get; init; } = [];

    /// <summary>Only candidates in these regions; null or empty means any.</summary>
    public IReadOnlyCollection<Region>? Regions { get; init; }

    /// <summary>Only candidates in these countries (ISO alpha-2); null or empty means any.</summary>
    public IReadOnlyCollection<string>? CountryCodes { get; init; }

    /// <summary>Candidates whose population is unknown are left out once a band is set.</summary>
    public int? MinPopulation { get; init; }

    public int? MaxPopulation { get; init; }

    public int Limit { get; init; } = DefaultLimit;

    /// <summary>
    /// The day the query is asked on: cities' calls expiring after it count (<see cref="MatchWeights.LiveCall"/>).
    /// Null leaves calls out, for callers that only care about the profiles.
    /// </summary>
    public DateOnly? Today { get; init; }

    /// <summary>Null means <see cref="MatchWeights.Default"/>; a programme may pass its own.</summary>
    public MatchWeights? Weights { get; init; }
}
