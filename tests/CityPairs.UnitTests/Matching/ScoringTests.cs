using System.Globalization;
using CityPairs.Domain.Common;
using CityPairs.Domain.Matching;
using static CityPairs.UnitTests.Matching.Registry;

namespace CityPairs.UnitTests.Matching;

public class ScoringTests
{
    private const int WaterManagement = 7;
    private static readonly Func<int, string> ThemeNames = id => id == WaterManagement ? "water management" : $"theme {id}";

    [Fact]
    public void A_shared_priority_sdg_lifts_a_candidate_and_is_named_in_the_explanation()
    {
        var snapshot = MatchingSnapshot.Build([City(1, sdgs: [13]), City(2, "Sharer", sdgs: [13]), City(3, "Other", sdgs: [4])]);

        var top = Top(snapshot, 1);

        Assert.Equal([2, 3], top.Ids());
        Assert.Equal([13], top[0].Part(ScorePartKind.SharedSdg)!.Ids);
        Assert.Null(top[1].Part(ScorePartKind.SharedSdg));
        Assert.Contains("Both list SDG 13 Climate Action as a priority", top[0].Sentences(ThemeNames));
    }

    [Fact]
    public void Sharing_a_rare_sdg_counts_more_than_sharing_one_almost_every_city_lists()
    {
        // Twenty fillers make SDG 11 common and leave SDG 14 rare, as in real registries.
        var fillers = Enumerable.Range(100, 20).Select(id => City(id, sdgs: [11]));
        var snapshot = MatchingSnapshot.Build([City(1, sdgs: [11, 14]), City(2, sdgs: [11]), City(3, sdgs: [14]), .. fillers]);

        Assert.True(MatchingEngine.Score(snapshot, 1, 3) > MatchingEngine.Score(snapshot, 1, 2));
        Assert.True(snapshot.SdgWeight(14) > snapshot.SdgWeight(11));
    }

    [Fact]
    public void A_shared_theme_is_common_ground_even_when_both_only_offer_it()
    {
        var snapshot = MatchingSnapshot.Build([City(1, themes: [Offers(5)]), City(2, themes: [Offers(5)]), City(3, themes: [Offers(6)])]);

        var top = Top(snapshot, 1);

        Assert.Equal([2, 3], top.Ids());
        Assert.Equal([5], top[0].Part(ScorePartKind.SharedTheme)!.Ids);
        Assert.Null(top[0].Part(ScorePartKind.OfferMeetsNeed));
        Assert.Null(top[0].Part(ScorePartKind.NeedMetByOffer));
    }

    [Fact]
    public void An_offer_that_meets_a_need_is_explained_from_both_sides()
    {
        var snapshot = MatchingSnapshot.Build(
        [
            City(1, "Rotterdam", themes: [Offers(WaterManagement)]),
            City(2, "Surat", region: Region.Asia, country: "IN", themes: [Seeks(WaterManagement)]),
        ]);

        var fromRotterdam = Top(snapshot, 1).Single();
        var fromSurat = Top(snapshot, 2).Single();

        Assert.Equal([WaterManagement], fromRotterdam.Part(ScorePartKind.OfferMeetsNeed)!.Ids);
        Assert.Equal([WaterManagement], fromSurat.Part(ScorePartKind.NeedMetByOffer)!.Ids);
        Assert.Contains("Rotterdam offers water management, which Surat seeks", fromRotterdam.Sentences(ThemeNames));
        Assert.Contains("Rotterdam offers water management, which Surat seeks", fromSurat.Sentences(ThemeNames));
    }

    [Fact]
    public void A_city_that_seeks_what_we_offer_ranks_above_one_that_merely_offers_it_too()
    {
        var snapshot = MatchingSnapshot.Build([City(1, themes: [Offers(5)]), City(2, "Learner", themes: [Seeks(5)]), City(3, "Peer", themes: [Offers(5)])]);

        Assert.Equal([2, 3], Top(snapshot, 1).Ids());
    }

    [Fact]
    public void A_two_way_fit_earns_a_bonus_and_beats_a_one_way_fit_on_the_same_themes()
    {
        var snapshot = MatchingSnapshot.Build(
        [
            City(1, themes: [Offers(1), Offers(2), Seeks(3)]),
            City(2, "OneWay", themes: [Seeks(1), Seeks(2)]),
            City(3, "TwoWay", themes: [Seeks(1), Offers(3)]),
        ]);
        var noBonus = MatchWeights.Default with { TwoWayBonus = 0 };

        var top = Top(snapshot, 1);

        Assert.Equal([3, 2], top.Ids());
        Assert.NotNull(top[0].Part(ScorePartKind.TwoWayFit));
        Assert.Null(top[1].Part(ScorePartKind.TwoWayFit));
        Assert.True(MatchingEngine.Score(snapshot, 1, 3) > MatchingEngine.Score(snapshot, 1, 3, noBonus));
        Assert.Equal(MatchingEngine.Score(snapshot, 1, 2), MatchingEngine.Score(snapshot, 1, 2, noBonus));
    }

    [Fact]
    public void A_city_of_similar_size_ranks_above_a_much_larger_one_and_unknown_size_earns_nothing()
    {
        var snapshot = MatchingSnapshot.Build(
        [
            City(1, population: 500_000),
            City(2, "Similar", population: 600_000),
            City(3, "Megacity", population: 50_000_000),
            City(4, "Unknown"),
        ]);

        var top = Top(snapshot, 1);

        Assert.Equal([2, 3, 4], top.Ids());
        Assert.Equal(1.2, top[0].Part(ScorePartKind.PopulationSimilarity)!.PopulationRatio!.Value, 6);
        Assert.Null(top[2].Part(ScorePartKind.PopulationSimilarity));
        Assert.Contains("They have populations of a similar size", top[0].Sentences(ThemeNames));
    }

    [Fact]
    public void A_shared_language_counts_whatever_the_letter_case()
    {
        var snapshot = MatchingSnapshot.Build([City(1, languages: ["es", "en"]), City(2, languages: ["ES"]), City(3, languages: ["nl"])]);

        var top = Top(snapshot, 1);

        Assert.Equal([2, 3], top.Ids());
        Assert.Equal(["es"], top[0].Part(ScorePartKind.SharedLanguage)!.Languages);
        Assert.Contains("Both work in Spanish", top[0].Sentences(ThemeNames, code => code == "es" ? "Spanish" : code));
    }

    [Fact]
    public void Nearer_cities_rank_higher_and_the_distance_shown_is_the_great_circle_distance()
    {
        var snapshot = MatchingSnapshot.Build(
        [
            City(1, "Paris", country: "FR", lat: 48.8566, lon: 2.3522),
            City(2, "London", country: "GB", lat: 51.5074, lon: -0.1278),
            City(3, "Montreal", region: Region.NorthAmerica, country: "CA", lat: 45.5019, lon: -73.5674),
        ]);

        var top = Top(snapshot, 1);

        Assert.Equal([2, 3], top.Ids());
        Assert.InRange(top[0].DistanceKm, 340, 347);
        Assert.InRange(top[1].DistanceKm, 5480, 5540);
        var culture = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("en-GB");
            Assert.Contains($"They are about {top[1].DistanceKm:N0} km apart", top[1].Sentences(ThemeNames));
            Assert.Matches("^They are about 5,[45]\\d\\d km apart$", top[1].Sentences(ThemeNames).Single(s => s.Contains("km", StringComparison.Ordinal)));
        }
        finally
        {
            CultureInfo.CurrentCulture = culture;
        }
    }

    [Fact]
    public void The_score_is_the_sum_of_the_parts_shown()
    {
        var cities = Registry.Random(60, seed: 7);
        var snapshot = MatchingSnapshot.Build(cities);

        foreach (var suggestion in Top(snapshot, cities.First(c => !c.IsArchived).Id))
        {
            Assert.Equal(suggestion.Score, suggestion.Parts.Sum(p => p.Points), 9);
            Assert.InRange(suggestion.Score, 0, MatchWeights.Default.Maximum);
        }
    }

    [Fact]
    public void A_programme_can_make_one_reason_decide()
    {
        var snapshot = MatchingSnapshot.Build(
        [
            City(1, lat: 50, lon: 4, sdgs: [13]),
            City(2, "FarButShares", lat: -30, lon: 150, sdgs: [13]),
            City(3, "NearNothingShared", lat: 50.5, lon: 4.5),
        ]);
        var sdgOnly = new MatchWeights
        {
            SharedTheme = 0, Complementarity = 0, TwoWayBonus = 0, PopulationSimilarity = 0, SharedLanguage = 0, Distance = 0,
        };

        Assert.Equal([3, 2], Top(snapshot, 1).Ids());
        Assert.Equal([2, 3], Top(snapshot, 1, q => q with { Weights = sdgOnly }).Ids());
    }

    [Fact]
    public void Negative_weights_are_refused()
    {
        var snapshot = MatchingSnapshot.Build([City(1), City(2)]);

        Assert.Throws<ArgumentException>(() => Top(snapshot, 1, q => q with { Weights = new MatchWeights { SharedTheme = -1 } }));
    }
}
