using CityPairs.Domain.Common;
using CityPairs.Domain.Matching;
using CityPairs.Domain.Programmes;
using static CityPairs.UnitTests.Matching.Registry;

namespace CityPairs.UnitTests.Matching;

public class FilterTests
{
    // One city per region, all sharing the same SDG so every one of them is a plausible partner.
    private static readonly MatchingSnapshot World = MatchingSnapshot.Build(
    [
        City(1, "Rotterdam", Region.Europe, "NL", 650_000, sdgs: [6, 11]),
        City(2, "Barcelona", Region.Europe, "ES", 1_600_000, sdgs: [11]),
        City(3, "Surat", Region.Asia, "IN", 6_000_000, sdgs: [6]),
        City(4, "Medellin", Region.LatinAmericaAndCaribbean, "CO", 2_500_000, sdgs: [11]),
        City(5, "Ottawa", Region.NorthAmerica, "CA", 1_000_000, sdgs: [13]),
        City(6, "Durban", Region.Africa, "ZA", null, sdgs: [11]),
        City(7, "Old Town", Region.Europe, "BE", 20_000, sdgs: [6, 11], archived: true),
        City(8, "Kamakura", Region.Asia, "JP", 170_000, sdgs: [11]),
    ]);

    private static EligibilityRule Rule(EligibilityRuleKind kind, params Region[] regions) => new() { Kind = kind, Regions = [.. regions] };

    [Fact]
    public void A_city_is_never_suggested_to_itself_nor_are_archived_cities()
    {
        var ids = Top(World, 1).Ids();

        Assert.DoesNotContain(1, ids);
        Assert.DoesNotContain(7, ids);
        Assert.Equal(6, ids.Length);
    }

    [Fact]
    public void Iuc_rules_pair_a_european_city_only_with_cities_outside_europe_and_the_other_way_round()
    {
        List<EligibilityRule> iuc = [Rule(EligibilityRuleKind.AtLeastOneMemberIn, Region.Europe), Rule(EligibilityRuleKind.AtLeastOneMemberOutside, Region.Europe)];

        var forRotterdam = Top(World, 1, q => q with { Eligibility = iuc }).Ids();
        var forSurat = Top(World, 3, q => q with { Eligibility = iuc }).Ids();

        Assert.Equal([3, 4, 5, 6, 8], forRotterdam.Order());
        Assert.Equal([1, 2], forSurat.Order());
    }

    [Fact]
    public void A_rule_that_every_member_be_european_leaves_a_city_elsewhere_with_no_suggestions()
    {
        List<EligibilityRule> urbact = [Rule(EligibilityRuleKind.AllMembersIn, Region.Europe)];

        Assert.Equal([2], Top(World, 1, q => q with { Eligibility = urbact }).Ids());
        Assert.Empty(Top(World, 3, q => q with { Eligibility = urbact }));
    }

    [Fact]
    public void A_rule_that_one_member_be_in_latin_america_narrows_a_european_city_to_latin_america()
    {
        List<EligibilityRule> urbAl = [Rule(EligibilityRuleKind.AtLeastOneMemberIn, Region.LatinAmericaAndCaribbean)];

        Assert.Equal([4], Top(World, 2, q => q with { Eligibility = urbAl }).Ids());
        Assert.Equal([1, 2, 3, 5, 6, 8], Top(World, 4, q => q with { Eligibility = urbAl }).Ids().Order());
    }

    [Fact]
    public void A_rule_that_one_member_be_outside_europe_is_met_by_a_non_european_city_alone()
    {
        List<EligibilityRule> rule = [Rule(EligibilityRuleKind.AtLeastOneMemberOutside, Region.Europe)];

        Assert.Equal([3, 4, 5, 6, 8], Top(World, 2, q => q with { Eligibility = rule }).Ids().Order());
        Assert.Equal([1, 2, 4, 5, 6, 8], Top(World, 3, q => q with { Eligibility = rule }).Ids().Order());
    }

    [Fact]
    public void Cities_already_in_an_agreed_or_active_partnership_are_left_out()
    {
        var ids = Top(World, 1, q => q with { ExcludedCityIds = [3, 4] }).Ids();

        Assert.DoesNotContain(3, ids);
        Assert.DoesNotContain(4, ids);
        Assert.Equal(4, ids.Length);
    }

    [Fact]
    public void Excluded_cities_do_not_take_places_in_a_short_list()
    {
        var best = Top(World, 1).Ids();

        var withoutBest = MatchingEngine.TopMatches(World, new MatchQuery(1) { Limit = 2, ExcludedCityIds = [best[0]] }).Ids();

        Assert.Equal(best[1..3], withoutBest);
    }

    [Fact]
    public void A_city_we_discontinued_with_is_still_suggested_but_flagged()
    {
        var top = Top(World, 1, q => q with { DiscontinuedWithCityIds = [3] });

        var surat = Assert.Single(top, s => s.CandidateId == 3);
        Assert.True(surat.PreviouslyDiscontinued);
        Assert.Contains("Rotterdam and Surat had a partnership that was discontinued", surat.Sentences(id => $"theme {id}"));
        Assert.All(top.Where(s => s.CandidateId != 3), s => Assert.False(s.PreviouslyDiscontinued));
    }

    [Fact]
    public void Region_filter_keeps_only_those_regions()
    {
        var ids = Top(World, 1, q => q with { Regions = [Region.Asia, Region.Africa] }).Ids();

        Assert.Equal([3, 6, 8], ids.Order());
    }

    [Fact]
    public void Country_filter_keeps_only_those_countries_whatever_the_case()
    {
        var ids = Top(World, 1, q => q with { CountryCodes = ["in", "JP", "ZZ"] }).Ids();

        Assert.Equal([3, 8], ids.Order());
    }

    [Fact]
    public void Population_band_is_inclusive_and_leaves_out_cities_of_unknown_size()
    {
        var ids = Top(World, 1, q => q with { MinPopulation = 1_000_000, MaxPopulation = 2_500_000 }).Ids();

        Assert.Equal([2, 4, 5], ids.Order());
    }

    [Fact]
    public void The_limit_caps_the_list_and_keeps_the_best()
    {
        var all = Top(World, 1);

        var three = MatchingEngine.TopMatches(World, new MatchQuery(1) { Limit = 3 });

        Assert.Equal(all.Ids()[..3], three.Ids());
        Assert.Equal(20, new MatchQuery(1).Limit);
    }

    [Fact]
    public void Asking_for_a_city_the_snapshot_does_not_hold_says_so()
    {
        Assert.Throws<KeyNotFoundException>(() => Top(World, 999));
        Assert.Throws<ArgumentOutOfRangeException>(() => MatchingEngine.TopMatches(World, new MatchQuery(1) { Limit = 0 }));
    }
}
