using CityPairs.Domain.Cities;
using CityPairs.Domain.Common;
using CityPairs.Domain.Matching;
using static CityPairs.UnitTests.Matching.Registry;

namespace CityPairs.UnitTests.Matching;

public class SnapshotTests
{
    [Fact]
    public void A_profile_is_taken_from_the_city_entity()
    {
        var city = new City
        {
            Id = 9, Name = "Herent", CountryCode = "BE", Region = Region.Europe, Population = 21_000,
            Latitude = 50.9, Longitude = 4.67, Languages = ["nl"], PrioritySdgs = [13, 15], IsArchived = true,
            Themes = [new CityTheme { ThemeId = 4, Interest = ThemeInterest.Offers }, new CityTheme { ThemeId = 5, Interest = ThemeInterest.Both }],
        };

        var profile = CityProfile.From(city);

        Assert.Equal((9, "Herent", "BE", Region.Europe, (int?)21_000, 50.9, 4.67, true),
            (profile.Id, profile.Name, profile.CountryCode, profile.Region, profile.Population, profile.Latitude, profile.Longitude, profile.IsArchived));
        Assert.Equal(["nl"], profile.Languages);
        Assert.Equal([13, 15], profile.PrioritySdgs);
        Assert.Equal([Offers(4), Both(5)], profile.Themes);
    }

    [Fact]
    public void A_reader_holding_the_old_snapshot_is_not_disturbed_by_a_save()
    {
        var before = MatchingSnapshot.Build([City(1, sdgs: [13]), City(2, sdgs: [13]), City(3)]);
        var beforeTop = Top(before, 1).Ids();

        var after = before.WithUpsert(City(3, sdgs: [13], themes: [Both(1)])).WithRemoved(2);

        Assert.Equal(beforeTop, Top(before, 1).Ids());
        Assert.Equal([2, 3], beforeTop);
        Assert.Equal([3], Top(after, 1).Ids());
        Assert.Equal(3, before.CityCount);
        Assert.Equal(2, after.CityCount);
    }

    [Fact]
    public void A_removed_city_disappears_and_can_come_back()
    {
        var snapshot = MatchingSnapshot.Build([City(1), City(2), City(3)]);

        var removed = snapshot.WithRemoved(2);
        var back = removed.WithUpsert(City(2, "Returned"));

        Assert.Equal([3], Top(removed, 1).Ids());
        Assert.False(removed.Contains(2));
        Assert.Throws<KeyNotFoundException>(() => Top(removed, 2));
        Assert.Equal("Returned", Assert.Single(Top(back, 1), s => s.CandidateId == 2).CandidateName);
        Assert.Same(removed, removed.WithRemoved(2));
    }

    [Fact]
    public void Archiving_a_city_hides_it_from_suggestions()
    {
        var snapshot = MatchingSnapshot.Build([City(1), City(2), City(3)]);

        var archived = snapshot.WithUpsert(City(2, archived: true));

        Assert.Equal([3], Top(archived, 1).Ids());
        Assert.Equal(2, archived.ActiveCityCount);
    }

    [Fact]
    public void A_new_city_with_many_new_themes_and_languages_is_matched_like_after_a_rebuild()
    {
        // 130 theme ids and 70 languages force the bitsets to grow past one and two 64-bit words.
        var cities = Registry.Random(50, seed: 5);
        var snapshot = MatchingSnapshot.Build(cities);
        var newcomer = City(
            1000,
            "Newcomer",
            themes: [.. Enumerable.Range(1, 130).Select(t => new ThemeChoice(t, (ThemeInterest)((t % 3) + 1)))],
            languages: [.. Enumerable.Range(0, 70).Select(i => $"l{i}"), "es"],
            sdgs: [11, 13]);

        var incremental = snapshot.WithUpsert(newcomer);
        var rebuilt = MatchingSnapshot.Build([.. cities, newcomer]);

        Assert.Equal(Top(rebuilt, 1000).Ids(), Top(incremental, 1000).Ids());
        Assert.Equal(Top(rebuilt, 1000).Select(s => s.Score), Top(incremental, 1000).Select(s => s.Score), new ScoreComparer());
    }

    [Fact]
    public void Saves_within_the_bitset_width_match_a_rebuild_exactly()
    {
        var cities = Registry.Random(3000, seed: 21);
        var snapshot = MatchingSnapshot.Build(cities);
        var random = new Random(4);
        var current = cities.ToDictionary(c => c.Id);
        for (var i = 0; i < 200; i++)
        {
            var id = random.Next(1, 3200);
            if (random.NextDouble() < 0.2)
            {
                snapshot = snapshot.WithRemoved(id);
                current.Remove(id);
            }
            else
            {
                var city = RandomCity(random, id);
                snapshot = snapshot.WithUpsert(city);
                current[id] = city;
            }
        }

        var rebuilt = MatchingSnapshot.Build(current.Values);

        Assert.Equal(rebuilt.CityCount, snapshot.CityCount);
        Assert.Equal(rebuilt.ActiveCityCount, snapshot.ActiveCityCount);
        foreach (var id in current.Keys.Order().Take(10))
        {
            Assert.Equal(Top(rebuilt, id).Ids(), Top(snapshot, id).Ids());
        }
    }

    [Fact]
    public void Rarity_weights_follow_how_many_cities_list_an_item()
    {
        var cities = Enumerable.Range(1, 100).Select(id => City(id, sdgs: id <= 10 ? [11, 14] : [11])).ToList();

        var snapshot = MatchingSnapshot.Build(cities);

        // One city in ten lists SDG 14: the reference rarity, weight 1.
        Assert.Equal(1.0, snapshot.SdgWeight(14), 1);
        Assert.True(snapshot.SdgWeight(11) < 0.5);
    }

    [Fact]
    public void Profiles_with_impossible_sdgs_or_coordinates_are_refused()
    {
        Assert.Throws<ArgumentException>(() => MatchingSnapshot.Build([City(1, sdgs: [18])]));
        Assert.Throws<ArgumentException>(() => MatchingSnapshot.Build([City(1, lat: 91)]));
    }

    private sealed class ScoreComparer : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) < 1e-9;

        public int GetHashCode(double obj) => 0;
    }
}
