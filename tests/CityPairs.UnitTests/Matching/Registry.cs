using CityPairs.Domain.Cities;
using CityPairs.Domain.Common;
using CityPairs.Domain.Matching;

namespace CityPairs.UnitTests.Matching;

/// <summary>Terse city profiles for matching tests; anything a test does not mention is neutral.</summary>
internal static class Registry
{
    public static CityProfile City(
        int id,
        string? name = null,
        Region region = Region.Europe,
        string country = "NL",
        int? population = null,
        double lat = 52,
        double lon = 5,
        string[]? languages = null,
        int[]? sdgs = null,
        ThemeChoice[]? themes = null,
        bool archived = false) =>
        new(id, name ?? $"City {id:D3}", country, region, population, lat, lon, languages ?? [], sdgs ?? [], themes ?? [], archived);

    public static ThemeChoice Offers(int themeId) => new(themeId, ThemeInterest.Offers);

    public static ThemeChoice Seeks(int themeId) => new(themeId, ThemeInterest.Seeks);

    public static ThemeChoice Both(int themeId) => new(themeId, ThemeInterest.Both);

    public static IReadOnlyList<MatchSuggestion> Top(MatchingSnapshot snapshot, int cityId, Func<MatchQuery, MatchQuery>? shape = null)
    {
        var query = new MatchQuery(cityId) { Limit = MatchQuery.MaxLimit };
        return MatchingEngine.TopMatches(snapshot, shape is null ? query : shape(query));
    }

    public static int[] Ids(this IEnumerable<MatchSuggestion> suggestions) => suggestions.Select(s => s.CandidateId).ToArray();

    public static ScorePart? Part(this MatchSuggestion suggestion, ScorePartKind kind) =>
        suggestion.Parts.SingleOrDefault(p => p.Kind == kind);

    /// <summary>A reproducible, varied registry: small vocabularies so that overlaps, ties and every rule occur.</summary>
    public static List<CityProfile> Random(int count, int seed, int themePool = 12)
    {
        var random = new Random(seed);
        string[] languages = ["en", "es", "fr", "nl", "pt"];
        var regions = Enum.GetValues<Region>();
        var list = new List<CityProfile>(count);
        for (var id = 1; id <= count; id++)
        {
            list.Add(RandomCity(random, id, themePool, languages, regions));
        }

        return list;
    }

    public static CityProfile RandomCity(Random random, int id, int themePool = 12, string[]? languagePool = null, Region[]? regions = null)
    {
        languagePool ??= ["en", "es", "fr", "nl", "pt"];
        regions ??= Enum.GetValues<Region>();
        var sdgs = Enumerable.Range(1, 17).Where(_ => random.NextDouble() < 0.2).ToArray();
        var themes = Enumerable.Range(1, themePool)
            .Where(_ => random.NextDouble() < 0.3)
            .Select(t => new ThemeChoice(t, (ThemeInterest)random.Next(1, 4)))
            .ToArray();
        var languages = languagePool.Where(_ => random.NextDouble() < 0.3).ToArray();
        return new CityProfile(
            id,
            $"City {random.Next(0, 40):D2}",
            "X" + (char)('A' + random.Next(0, 5)),
            regions[random.Next(regions.Length)],
            random.NextDouble() < 0.2 ? null : (int)Math.Pow(10, 3 + (4 * random.NextDouble())),
            (random.NextDouble() * 160) - 80,
            (random.NextDouble() * 360) - 180,
            languages,
            sdgs,
            themes,
            random.NextDouble() < 0.05);
    }
}
