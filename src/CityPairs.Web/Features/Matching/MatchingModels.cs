using System.Globalization;
using CityPairs.Domain.Common;
using CityPairs.Domain.Matching;

namespace CityPairs.Web.Features.Matching;

/// <summary>The optional filters a facilitator sets on the Matches page or in the API query.</summary>
public sealed record MatchFilters(
    IReadOnlyCollection<Region>? Regions = null,
    IReadOnlyCollection<string>? CountryCodes = null,
    int? MinPopulation = null,
    int? MaxPopulation = null)
{
    public static MatchFilters None { get; } = new();
}

public enum MatchProblem
{
    None,
    CityNotFound,
    ProgrammeNotFound,

    /// <summary>This person may not ask matches for this city (a coordinator, for a city they do not act for).</summary>
    Forbidden,
}

/// <summary>
/// Suggestions for one city with what a reader needs to understand them: the weights that were used
/// (the programme's or the caller's), the theme names for the explanations, and which candidates the city
/// once completed a partnership with (the engine itself only knows about discontinued ones).
/// </summary>
public sealed record MatchResult(
    MatchProblem Problem,
    CityProfile? City,
    IReadOnlyList<MatchSuggestion> Suggestions,
    MatchWeights Weights,
    IReadOnlyDictionary<int, string> ThemeNames,
    IReadOnlySet<int> CompletedWithCityIds)
{
    public static MatchResult Failed(MatchProblem problem) =>
        new(problem, null, [], MatchWeights.Default, new Dictionary<int, string>(), new HashSet<int>());

    /// <summary>Cities left out because one of the pair declined a proposal between them, with the reason.</summary>
    public IReadOnlyList<DeclinedPair> Declined { get; init; } = [];

    public bool PreviouslyCompleted(MatchSuggestion suggestion)
    {
        ArgumentNullException.ThrowIfNull(suggestion);
        return CompletedWithCityIds.Contains(suggestion.CandidateId);
    }

    public string ThemeName(int themeId) =>
        ThemeNames.TryGetValue(themeId, out var name) ? name : string.Create(CultureInfo.InvariantCulture, $"theme {themeId}");

    public IReadOnlyList<string> Sentences(MatchSuggestion suggestion)
    {
        ArgumentNullException.ThrowIfNull(suggestion);
        return suggestion.Sentences(ThemeName, LanguageNames.Of);
    }
}

/// <summary>A pair the matcher no longer suggests: <see cref="DeclinedByName"/> declined a proposal with the other city.</summary>
public sealed record DeclinedPair(
    int CandidateId, string CandidateName, int DeclinedBy, string DeclinedByName, string Reason, DateTimeOffset? DeclinedAt, int PartnershipId);

/// <summary>ISO 639-1 codes in words ("es" -> "Spanish"), in the current UI culture where ICU knows them.</summary>
public static class LanguageNames
{
    public static string Of(string code)
    {
        try
        {
            var culture = CultureInfo.GetCultureInfo(code);
            // ICU answers any well-formed code; an unknown one comes back with its code as its name.
            return string.Equals(culture.EnglishName, code, StringComparison.OrdinalIgnoreCase) ? code : culture.EnglishName;
        }
        catch (CultureNotFoundException)
        {
            return code;
        }
    }
}

/// <summary>A programme with the weights its matches are scored by (the default weights when it sets none).</summary>
public sealed record ProgrammeWeights(int Id, string ShortName, string Name, MatchWeights Weights);
