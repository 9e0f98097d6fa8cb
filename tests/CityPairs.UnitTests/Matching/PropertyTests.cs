using CityPairs.Domain.Cities;
using CityPairs.Domain.Common;
using CityPairs.Domain.Matching;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace CityPairs.UnitTests.Matching;

public class PropertyTests
{
    private const int ThemePool = 10;

    private static readonly Gen<CityProfile[]> Registries =
        from size in Gen.Choose(2, 12)
        from cities in Gen.ArrayOf(CityGen, size)
        select cities.Select((c, i) => c with { Id = i + 1, Name = $"City {i + 1}" }).ToArray();

    private static Gen<CityProfile> CityGen =>
        from sdgs in Gen.SubListOf(Enumerable.Range(1, 17))
        from themeIds in Gen.SubListOf(Enumerable.Range(1, ThemePool))
        from interests in Gen.ArrayOf(Gen.Elements(ThemeInterest.Offers, ThemeInterest.Seeks, ThemeInterest.Both), ThemePool)
        from languages in Gen.SubListOf<string>(["en", "es", "fr", "nl"])
        from hasPopulation in Gen.Elements(true, false)
        from population in Gen.Choose(1_000, 20_000_000)
        from lat in Gen.Choose(-80, 80)
        from lon in Gen.Choose(-180, 180)
        from region in Gen.Elements(Enum.GetValues<Region>())
        select new CityProfile(
            0, "", "XX", region, hasPopulation ? population : null, lat, lon,
            languages.ToArray(), sdgs.ToArray(), themeIds.Select(t => new ThemeChoice(t, interests[t - 1])).ToArray());

    [Property(MaxTest = 300)]
    public Property Every_pair_scores_the_same_from_either_side() =>
        Prop.ForAll(Registries.ToArbitrary(), cities =>
        {
            var snapshot = MatchingSnapshot.Build(cities);
            foreach (var a in cities)
            {
                foreach (var b in cities.Where(b => b.Id != a.Id))
                {
                    var ab = MatchingEngine.Explain(snapshot, a.Id, b.Id);
                    var ba = MatchingEngine.Explain(snapshot, b.Id, a.Id);
                    if (ab.Score != ba.Score || !SameParts(ab, ba))
                    {
                        return false;
                    }
                }
            }

            return true;
        });

    [Property(MaxTest = 300)]
    public Property Making_a_theme_shared_never_lowers_the_pairs_score() =>
        Prop.ForAll(
            Registries.ToArbitrary(),
            Gen.Choose(1, ThemePool + 2).ToArbitrary(),
            Gen.Elements(ThemeInterest.Offers, ThemeInterest.Seeks, ThemeInterest.Both).Two().ToArbitrary(),
            (cities, theme, interests) =>
            {
                var (a, b) = (cities[0], cities[1]);
                var before = MatchingEngine.Score(MatchingSnapshot.Build(cities), a.Id, b.Id);

                // The whole registry is rebuilt, so the theme's rarity weight changes too, as it would in the app.
                cities[0] = a with { Themes = Merge(a.Themes, theme, interests.Item1) };
                cities[1] = b with { Themes = Merge(b.Themes, theme, interests.Item2) };
                var after = MatchingEngine.Score(MatchingSnapshot.Build(cities), a.Id, b.Id);

                return (after >= before).Label($"before {before}, after {after}");
            });

    [Property(MaxTest = 200)]
    public Property Saving_cities_one_by_one_matches_building_from_scratch() =>
        Prop.ForAll(Registries.ToArbitrary(), Registries.ToArbitrary(), (initial, edits) =>
        {
            var snapshot = MatchingSnapshot.Build(initial);
            var current = initial.ToDictionary(c => c.Id);
            foreach (var edit in edits)
            {
                // Odd ids of the second registry are removals, so saves, additions and removals all occur.
                if (edit.Id % 3 == 0)
                {
                    snapshot = snapshot.WithRemoved(edit.Id);
                    current.Remove(edit.Id);
                }
                else
                {
                    var saved = edit with { Id = edit.Id + (edit.Id % 2 == 0 ? 0 : 100) };
                    snapshot = snapshot.WithUpsert(saved);
                    current[saved.Id] = saved;
                }
            }

            var rebuilt = MatchingSnapshot.Build(current.Values);
            return current.Keys.All(id =>
            {
                var x = Registry.Top(snapshot, id);
                var y = Registry.Top(rebuilt, id);
                return x.Count == y.Count
                    && x.Zip(y).All(p => Math.Abs(p.First.Score - p.Second.Score) < 1e-9)
                    && SameOrderUpToTies(x, y);
            });
        });

    private static ThemeChoice[] Merge(IReadOnlyList<ThemeChoice> themes, int theme, ThemeInterest interest)
    {
        var existing = themes.Where(t => t.ThemeId == theme).Select(t => (int)t.Interest).FirstOrDefault();
        return [.. themes.Where(t => t.ThemeId != theme), new ThemeChoice(theme, (ThemeInterest)(existing | (int)interest))];
    }

    /// <summary>Symmetric parts match; the two complementarity directions swap places.</summary>
    private static bool SameParts(MatchSuggestion ab, MatchSuggestion ba)
    {
        static ScorePartKind Mirror(ScorePartKind kind) => kind switch
        {
            ScorePartKind.OfferMeetsNeed => ScorePartKind.NeedMetByOffer,
            ScorePartKind.NeedMetByOffer => ScorePartKind.OfferMeetsNeed,
            _ => kind,
        };

        var left = ab.Parts.Select(p => (Mirror(p.Kind), p.Points, string.Join(",", p.Ids), string.Join(",", p.Languages))).OrderBy(p => p.Item1);
        var right = ba.Parts.Select(p => (p.Kind, p.Points, string.Join(",", p.Ids), string.Join(",", p.Languages))).OrderBy(p => p.Kind);
        return left.SequenceEqual(right);
    }

    /// <summary>
    /// Theme bit positions can differ between an updated and a rebuilt snapshot, which may change the last
    /// digit of a sum; candidates whose scores agree to 1e-9 are treated as a tie.
    /// </summary>
    private static bool SameOrderUpToTies(IReadOnlyList<MatchSuggestion> x, IReadOnlyList<MatchSuggestion> y)
    {
        for (var i = 0; i < x.Count; i++)
        {
            if (x[i].CandidateId != y[i].CandidateId)
            {
                var tied = x.Where(s => Math.Abs(s.Score - x[i].Score) < 1e-9).Select(s => s.CandidateId).Order();
                var tiedToo = y.Where(s => Math.Abs(s.Score - y[i].Score) < 1e-9).Select(s => s.CandidateId).Order();
                if (!tied.SequenceEqual(tiedToo))
                {
                    return false;
                }
            }
        }

        return true;
    }
}
