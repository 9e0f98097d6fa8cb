using System.Globalization;
using CityPairs.Domain.Common;

namespace CityPairs.Domain.Matching;

public enum ScorePartKind
{
    SharedSdg = 1,
    SharedTheme = 2,

    /// <summary>The city offers what the candidate seeks.</summary>
    OfferMeetsNeed = 3,

    /// <summary>The candidate offers what the city seeks.</summary>
    NeedMetByOffer = 4,

    TwoWayFit = 5,
    PopulationSimilarity = 6,
    SharedLanguage = 7,
    Distance = 8,

    /// <summary>One city's live "seeking partners" call asks for what the other offers or works on.</summary>
    SeekingPartners = 9,
}

/// <summary>
/// One reason behind a score, with the facts a person needs to judge it: SDG numbers or theme ids in
/// <see cref="Ids"/>, language codes in <see cref="Languages"/>, the distance or the population ratio.
/// </summary>
public sealed record ScorePart(ScorePartKind Kind, double Points)
{
    public IReadOnlyList<int> Ids { get; init; } = [];

    public IReadOnlyList<string> Languages { get; init; } = [];

    public double? DistanceKm { get; init; }

    /// <summary>Larger population divided by smaller, so 1 means the same size.</summary>
    public double? PopulationRatio { get; init; }

    /// <summary>SeekingPartners: the sought SDG numbers the other city lists (theme ids are in <see cref="Ids"/>).</summary>
    public IReadOnlyList<int> Sdgs { get; init; } = [];

    /// <summary>SeekingPartners: the last live call's expiry (the call is open while the day is before it).</summary>
    public DateOnly? Until { get; init; }

    /// <summary>SeekingPartners: the city that published the call, the suggestion's city or its candidate.</summary>
    public int? SeekerCityId { get; init; }
}

/// <summary>A suggested partner for <see cref="CityName"/>, with why it was suggested.</summary>
public sealed record MatchSuggestion(
    int CityId,
    string CityName,
    int CandidateId,
    string CandidateName,
    string CandidateCountryCode,
    Region CandidateRegion,
    double Score,
    IReadOnlyList<ScorePart> Parts,
    bool PreviouslyDiscontinued)
{
    public double DistanceKm => Parts.FirstOrDefault(p => p.Kind == ScorePartKind.Distance)?.DistanceKm ?? 0;

    /// <summary>
    /// Plain English reasons, strongest first, for people who decide on a suggestion. Localised UIs
    /// should build their own text from <see cref="Parts"/>, which carry every fact used here. Numbers
    /// follow the current culture, as everywhere else in the app.
    /// </summary>
    public IReadOnlyList<string> Sentences(Func<int, string> themeName, Func<string, string>? languageName = null)
    {
        ArgumentNullException.ThrowIfNull(themeName);
        languageName ??= code => code;
        var format = CultureInfo.CurrentCulture;
        var sentences = new List<string>();
        if (PreviouslyDiscontinued)
        {
            sentences.Add($"{CityName} and {CandidateName} had a partnership that was discontinued");
        }

        foreach (var part in Parts.OrderByDescending(p => p.Points).ThenBy(p => p.Kind))
        {
            var themes = JoinAnd(part.Ids.Select(themeName));
            var text = part.Kind switch
            {
                ScorePartKind.SharedSdg when part.Ids.Count == 1 =>
                    $"Both list {SdgTitles.Label(part.Ids[0])} as a priority",
                ScorePartKind.SharedSdg => $"Both list {JoinAnd(part.Ids.Select(SdgTitles.Label))} as priorities",
                ScorePartKind.SharedTheme => $"Both work on {themes}",
                ScorePartKind.OfferMeetsNeed => $"{CityName} offers {themes}, which {CandidateName} seeks",
                ScorePartKind.NeedMetByOffer => $"{CandidateName} offers {themes}, which {CityName} seeks",
                ScorePartKind.TwoWayFit => "Learning can run both ways: each city has experience the other seeks",
                ScorePartKind.PopulationSimilarity when part.PopulationRatio is { } r && r < 1.5 =>
                    "They have populations of a similar size",
                ScorePartKind.PopulationSimilarity when part.PopulationRatio is { } r =>
                    string.Format(format, "One has {0:0.#} times the population of the other", r),
                ScorePartKind.SharedLanguage => $"Both work in {JoinAnd(part.Languages.Select(languageName))}",
                ScorePartKind.Distance => string.Format(format, "They are about {0:N0} km apart", part.DistanceKm ?? 0),
                ScorePartKind.SeekingPartners => string.Format(
                    format, "{0} is seeking partners on {1} until {2:d MMMM yyyy}",
                    part.SeekerCityId == CandidateId ? CandidateName : CityName,
                    JoinAnd(part.Ids.Select(themeName).Concat(part.Sdgs.Select(SdgTitles.Label))),
                    part.Until ?? default),
                _ => null,
            };
            if (text is not null)
            {
                sentences.Add(text);
            }
        }

        return sentences;
    }

    private static string JoinAnd(IEnumerable<string> items)
    {
        var list = items.ToList();
        return list.Count switch
        {
            0 => "",
            1 => list[0],
            _ => string.Join(", ", list.Take(list.Count - 1)) + " and " + list[^1],
        };
    }
}

/// <summary>The UN's short SDG titles, for explanations that must read without a database.</summary>
public static class SdgTitles
{
    private static readonly string[] Titles =
    [
        "No Poverty", "Zero Hunger", "Good Health and Well-being", "Quality Education", "Gender Equality",
        "Clean Water and Sanitation", "Affordable and Clean Energy", "Decent Work and Economic Growth",
        "Industry, Innovation and Infrastructure", "Reduced Inequalities", "Sustainable Cities and Communities",
        "Responsible Consumption and Production", "Climate Action", "Life Below Water", "Life on Land",
        "Peace, Justice and Strong Institutions", "Partnerships for the Goals",
    ];

    public static string Title(int number) => number is >= 1 and <= 17 ? Titles[number - 1] : "";

    /// <summary>"SDG 13 Climate Action".</summary>
    public static string Label(int number) =>
        string.Create(CultureInfo.InvariantCulture, $"SDG {number} {Title(number)}").TrimEnd();
}
