using System.Globalization;
using CityPairs.Domain.Matching;
using static CityPairs.UnitTests.Matching.Registry;

namespace CityPairs.UnitTests.Matching;

/// <summary>A city's live "seeking partners" call lifts the candidates that offer what it seeks, and says so.</summary>
public class CallBoostTests
{
    private const int Water = 7;
    private const int Mobility = 8;
    private static readonly DateOnly Today = new(2027, 3, 1);
    private static readonly Func<int, string> ThemeNames = id => id switch { Water => "water management", Mobility => "urban mobility", _ => $"theme {id}" };

    private static SeekingCall Call(int id, int[]? themes = null, int[]? sdgs = null, DateOnly? expires = null) =>
        new(id, $"Call {id}", expires ?? Today.AddMonths(3), themes ?? [], sdgs ?? []);

    /// <summary>Two candidates alike in everything but the theme they offer; the seeker (1) seeks water management.</summary>
    private static MatchingSnapshot Twins(params SeekingCall[] calls) => MatchingSnapshot.Build(
    [
        City(1, "Tarija", themes: [Offers(99)]) with { Calls = calls },
        City(2, "Aaa offers mobility", themes: [Offers(Mobility)]),
        City(3, "Zzz offers water", themes: [Offers(Water)]),
    ]);

    [Fact]
    public void A_candidate_offering_what_the_city_s_live_call_seeks_is_lifted_and_the_reason_names_the_call()
    {
        var withoutCall = Twins();
        var withCall = Twins(Call(10, themes: [Water], sdgs: [6]));

        // Without the call the two are tied and listed by name; the call puts the water city first.
        Assert.Equal([2, 3], Top(withoutCall, 1, q => q with { Today = Today }).Ids());
        var top = Top(withCall, 1, q => q with { Today = Today });
        Assert.Equal([3, 2], top.Ids());

        var part = top[0].Part(ScorePartKind.SeekingPartners);
        Assert.NotNull(part);
        Assert.Equal([Water], part.Ids);
        Assert.Equal(1, part.SeekerCityId);
        Assert.Equal(Today.AddMonths(3), part.Until);
        Assert.Null(top[1].Part(ScorePartKind.SeekingPartners));
        Assert.Equal(top[0].Score, top[0].Parts.Sum(p => p.Points), 9);

        using var culture = new CultureScope("en-GB");
        Assert.Contains("Tarija is seeking partners on water management until 1 June 2027", top[0].Sentences(ThemeNames));
    }

    [Fact]
    public void The_boost_is_bounded_by_its_weight_and_a_met_call_earns_at_least_half_of_it()
    {
        var snapshot = Twins(Call(10, themes: [Water]));
        var weights = MatchWeights.Default;
        var boost = MatchingEngine.Score(snapshot, 1, 3, weights, Today) - MatchingEngine.Score(snapshot, 1, 3, weights);

        Assert.InRange(boost, weights.LiveCall / 2, weights.LiveCall);
        Assert.InRange(MatchingEngine.Score(snapshot, 1, 3, weights, Today), 0, weights.Maximum);
    }

    [Fact]
    public void A_candidate_s_own_call_counts_too_so_the_score_is_the_same_from_either_side()
    {
        // The candidate seeks what the city offers: the city is lifted in the candidate's list, and the candidate in the city's.
        var snapshot = MatchingSnapshot.Build(
        [
            City(1, "Rotterdam", themes: [Offers(Water)]),
            City(2, "Surat", themes: [Seeks(Mobility)]) with { Calls = [Call(20, themes: [Water])] },
            City(3, "Other", themes: [Seeks(Mobility)]),
        ]);

        var fromRotterdam = Top(snapshot, 1, q => q with { Today = Today });
        Assert.Equal(2, fromRotterdam[0].CandidateId);
        var part = fromRotterdam[0].Part(ScorePartKind.SeekingPartners)!;
        Assert.Equal(2, part.SeekerCityId);
        Assert.Contains(fromRotterdam[0].Sentences(ThemeNames), s => s.StartsWith("Surat is seeking partners on water management until", StringComparison.Ordinal));

        Assert.Equal(MatchingEngine.Score(snapshot, 1, 2, today: Today), MatchingEngine.Score(snapshot, 2, 1, today: Today));
    }

    [Fact]
    public void An_expired_call_or_a_query_without_a_day_gives_no_boost()
    {
        var expired = Twins(Call(10, themes: [Water], expires: Today));
        Assert.Equal([2, 3], Top(expired, 1, q => q with { Today = Today }).Ids());
        Assert.All(Top(expired, 1, q => q with { Today = Today }), s => Assert.Null(s.Part(ScorePartKind.SeekingPartners)));

        var live = Twins(Call(10, themes: [Water]));
        Assert.Equal([2, 3], Top(live, 1).Ids());
        Assert.Equal([3, 2], Top(live, 1, q => q with { Today = Today.AddMonths(3).AddDays(-1) }).Ids());
        Assert.Equal([2, 3], Top(live, 1, q => q with { Today = Today.AddMonths(3) }).Ids());
    }

    [Fact]
    public void A_sought_sdg_is_met_by_a_candidate_that_lists_it_as_a_priority()
    {
        var snapshot = MatchingSnapshot.Build(
        [
            City(1, "Seeker") with { Calls = [Call(10, sdgs: [6])] },
            City(2, "Aaa", sdgs: [4]),
            City(3, "Zzz", sdgs: [6]),
        ]);

        var top = Top(snapshot, 1, q => q with { Today = Today });

        Assert.Equal(3, top[0].CandidateId);
        Assert.Equal([6], top[0].Part(ScorePartKind.SeekingPartners)!.Sdgs);
        Assert.Contains(top[0].Sentences(ThemeNames), s => s.Contains("SDG 6 Clean Water and Sanitation", StringComparison.Ordinal));
    }

    [Fact]
    public void A_call_saved_into_a_snapshot_counts_at_once_and_a_withdrawn_one_stops_counting()
    {
        var snapshot = Twins();
        var seeker = snapshot.Find(1)!;

        var published = snapshot.WithUpsert(seeker with { Calls = [Call(10, themes: [Water])] });
        Assert.Equal([3, 2], Top(published, 1, q => q with { Today = Today }).Ids());

        var withdrawn = published.WithUpsert(seeker with { Calls = [] });
        Assert.Equal([2, 3], Top(withdrawn, 1, q => q with { Today = Today }).Ids());
    }

    [Fact]
    public void A_call_seeking_a_theme_no_city_lists_yet_is_held_without_error()
    {
        var snapshot = Twins().WithUpsert(City(1, "Tarija", themes: [Offers(99)]) with { Calls = [Call(10, themes: [500, Water])] });

        var top = Top(snapshot, 1, q => q with { Today = Today });

        Assert.Equal([Water], top[0].Part(ScorePartKind.SeekingPartners)!.Ids);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(20)]
    public void With_calls_the_short_list_is_still_exactly_the_head_of_every_candidate_sorted_by_score(int limit)
    {
        // One city in ten has a call, some expired, so the scan's ceiling and the explanation meet every case.
        var random = new Random(11);
        var cities = Registry.Random(1200, seed: 5).Select(c => c.Id % 10 == 0
            ? c with { Calls = [Call(c.Id, themes: [random.Next(1, 13)], sdgs: [random.Next(1, 18)], expires: Today.AddDays(random.Next(-30, 90)))] }
            : c).ToList();
        var snapshot = MatchingSnapshot.Build(cities);
        foreach (var city in cities.Where(c => !c.IsArchived && c.Id % 5 == 0).Take(6))
        {
            var expected = cities
                .Where(c => c.Id != city.Id && !c.IsArchived)
                .Select(c => (c.Id, c.Name, Score: MatchingEngine.Score(snapshot, city.Id, c.Id, today: Today)))
                .OrderByDescending(c => c.Score).ThenBy(c => c.Name, StringComparer.Ordinal).ThenBy(c => c.Id)
                .Take(limit)
                .Select(c => c.Id);

            var actual = MatchingEngine.TopMatches(snapshot, new MatchQuery(city.Id) { Limit = limit, Today = Today });

            Assert.Equal(expected, actual.Ids());
            Assert.All(actual, s => Assert.Equal(s.Score, s.Parts.Sum(p => p.Points), 9));
            Assert.All(cities.Where(c => c.Id != city.Id && !c.IsArchived).Take(50), c =>
                Assert.Equal(MatchingEngine.Score(snapshot, city.Id, c.Id, today: Today), MatchingEngine.Score(snapshot, c.Id, city.Id, today: Today)));
        }
    }

    /// <summary>Dates in the sentences follow the current culture; the test fixes it.</summary>
    private sealed class CultureScope : IDisposable
    {
        private readonly CultureInfo _before = CultureInfo.CurrentCulture;

        public CultureScope(string name) => CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo(name);

        public void Dispose() => CultureInfo.CurrentCulture = _before;
    }
}
