using CityPairs.Domain.Cities;
using CityPairs.Domain.Common;
using CityPairs.Domain.Matching;

namespace CityPairs.Benchmarks;

/// <summary>
/// A registry shaped like real ones, because a uniform random registry would flatter the matcher: real
/// cities crowd onto SDG 11 and 13 and a handful of popular themes, so overlaps (and bit loops) are
/// longer than uniform data would give.
/// </summary>
public static class RegistryGenerator
{
    public const int ThemeCount = 60;

    // Share of cities listing each SDG as a priority, 1..17; 11 and 13 dominate as in programme registries.
    private static readonly double[] SdgShare =
        [0.15, 0.08, 0.20, 0.20, 0.12, 0.30, 0.25, 0.20, 0.15, 0.15, 0.80, 0.15, 0.65, 0.05, 0.08, 0.10, 0.20];

    private static readonly (Region Region, double Share, double LatMin, double LatMax, double LonMin, double LonMax, string[] Languages)[] Regions =
    [
        (Region.Europe, 0.30, 36, 68, -10, 40, ["de", "fr", "es", "it", "nl", "pl", "pt", "sv", "ro", "el"]),
        (Region.Asia, 0.25, -8, 50, 60, 145, ["zh", "hi", "ja", "id", "ko", "vi", "th", "ar"]),
        (Region.LatinAmericaAndCaribbean, 0.15, -45, 25, -110, -35, ["es", "pt"]),
        (Region.Africa, 0.15, -34, 35, -17, 50, ["fr", "ar", "sw", "pt", "zu"]),
        (Region.NorthAmerica, 0.10, 25, 60, -125, -60, ["en", "fr", "es"]),
        (Region.Oceania, 0.05, -45, -5, 115, 178, ["en"]),
    ];

    public static List<CityProfile> Generate(int count, int seed = 42)
    {
        var random = new Random(seed);
        var countries = Countries.Codes.GroupBy(c => Countries.RegionOf(c)!.Value).ToDictionary(g => g.Key, g => g.ToArray());
        var zipf = Enumerable.Range(1, ThemeCount).Select(rank => 1.0 / rank).ToArray();
        var zipfTotal = zipf.Sum();
        var list = new List<CityProfile>(count);
        for (var id = 1; id <= count; id++)
        {
            list.Add(City(random, id, countries, zipf, zipfTotal));
        }

        return list;
    }

    /// <summary>A fresh profile for an existing id, as a coordinator's save would produce.</summary>
    public static CityProfile Edited(CityProfile city, int seed)
    {
        var random = new Random(seed);
        var themes = city.Themes.Where(_ => random.NextDouble() < 0.8)
            .Append(new ThemeChoice(random.Next(1, ThemeCount + 1), ThemeInterest.Seeks))
            .DistinctBy(t => t.ThemeId)
            .ToArray();
        return city with { Themes = themes, Population = (int)((city.Population ?? 50_000) * (0.9 + (0.2 * random.NextDouble()))) };
    }

    private static CityProfile City(Random random, int id, Dictionary<Region, string[]> countries, double[] zipf, double zipfTotal)
    {
        var region = Regions[^1];
        var pick = random.NextDouble();
        foreach (var r in Regions)
        {
            if ((pick -= r.Share) < 0)
            {
                region = r;
                break;
            }
        }

        var sdgs = Enumerable.Range(1, 17).Where(s => random.NextDouble() < SdgShare[s - 1]).ToArray();
        var themeCount = random.Next(2, 9);
        var themes = new Dictionary<int, ThemeChoice>();
        while (themes.Count < themeCount)
        {
            var theme = Zipf(random, zipf, zipfTotal);
            var roll = random.NextDouble();
            var interest = roll < 0.35 ? ThemeInterest.Offers : roll < 0.7 ? ThemeInterest.Seeks : ThemeInterest.Both;
            themes[theme] = new ThemeChoice(theme, interest);
        }

        var languages = new List<string> { region.Languages[random.Next(region.Languages.Length)] };
        if (random.NextDouble() < 0.4)
        {
            languages.Add("en");
        }

        if (random.NextDouble() < 0.15)
        {
            languages.Add(region.Languages[random.Next(region.Languages.Length)]);
        }

        // Log-normal around a median of 80,000: many towns, few megacities, as in municipal registries.
        var normal = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
        int? population = random.NextDouble() < 0.05 ? null : (int)Math.Clamp(Math.Exp(Math.Log(80_000) + (1.3 * normal)), 500, 30_000_000);
        var codes = countries[region.Region];
        return new CityProfile(
            id,
            $"City {id:D6}",
            codes[random.Next(codes.Length)],
            region.Region,
            population,
            region.LatMin + ((region.LatMax - region.LatMin) * random.NextDouble()),
            region.LonMin + ((region.LonMax - region.LonMin) * random.NextDouble()),
            languages.Distinct().ToArray(),
            sdgs,
            themes.Values.ToArray(),
            IsArchived: random.NextDouble() < 0.02);
    }

    private static int Zipf(Random random, double[] zipf, double total)
    {
        var pick = random.NextDouble() * total;
        for (var i = 0; i < zipf.Length; i++)
        {
            if ((pick -= zipf[i]) < 0)
            {
                return i + 1;
            }
        }

        return zipf.Length;
    }
}
