using CityPairs.Domain.Matching;
using static CityPairs.UnitTests.Matching.Registry;

namespace CityPairs.UnitTests.Matching;

public class OrderingTests
{
    [Fact]
    public void Equal_scores_are_ordered_by_name_then_id_and_the_cut_at_the_limit_follows_that_order()
    {
        // Identical profiles at the same spot: every candidate scores exactly the same.
        var snapshot = MatchingSnapshot.Build(
        [
            City(1, "Query"),
            City(40, "Beta"),
            City(30, "alpha"),
            City(20, "Alpha"),
            City(10, "Beta"),
        ]);

        Assert.Equal([20, 10, 40, 30], Top(snapshot, 1).Ids());
        Assert.Equal([20, 10], MatchingEngine.TopMatches(snapshot, new MatchQuery(1) { Limit = 2 }).Ids());
        Assert.Single(Top(snapshot, 1).Select(s => s.Score).Distinct());
    }

    [Fact]
    public void The_same_query_gives_the_same_list_however_the_registry_was_ordered()
    {
        var cities = Registry.Random(400, seed: 11);
        var shuffled = cities.OrderBy(c => (c.Id * 7919) % 401).ToList();

        var a = MatchingSnapshot.Build(cities);
        var b = MatchingSnapshot.Build(shuffled);

        Assert.Equal(Top(a, 5).Ids(), Top(b, 5).Ids());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(20)]
    [InlineData(150)]
    public void The_short_list_is_exactly_the_head_of_every_candidate_sorted_by_score(int limit)
    {
        var cities = Registry.Random(1500, seed: 3);
        var snapshot = MatchingSnapshot.Build(cities);
        foreach (var city in cities.Where(c => !c.IsArchived).Take(5))
        {
            var expected = cities
                .Where(c => c.Id != city.Id && !c.IsArchived)
                .Select(c => (c.Id, c.Name, Score: MatchingEngine.Score(snapshot, city.Id, c.Id)))
                .OrderByDescending(c => c.Score).ThenBy(c => c.Name, StringComparer.Ordinal).ThenBy(c => c.Id)
                .Take(limit)
                .Select(c => c.Id);

            var actual = MatchingEngine.TopMatches(snapshot, new MatchQuery(city.Id) { Limit = limit });

            Assert.Equal(expected, actual.Ids());
            Assert.True(actual.Zip(actual.Skip(1)).All(p => p.First.Score >= p.Second.Score));
        }
    }
}
