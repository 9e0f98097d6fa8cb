namespace CityPairs.Web.Data.ScaleData;

/// <summary>How large a registry `generate` makes: `generate --cities 100000 --partnerships 50000 --exchanges 500000`.</summary>
public sealed record ScaleDataOptions(int Cities, int Partnerships, int Exchanges, string? Gazetteer = null, int Seed = 42)
{
    public static ScaleDataOptions Parse(IReadOnlyList<string> args)
    {
        string? Value(string name)
        {
            var index = args.ToList().IndexOf(name);
            return index >= 0 && index + 1 < args.Count ? args[index + 1] : null;
        }

        int Number(string name, int fallback) =>
            Value(name) is { } text
                ? int.TryParse(text, out var n) && n >= 0 ? n : throw new ArgumentException($"{name} takes a whole number, not '{text}'.")
                : fallback;

        var cities = Number("--cities", 100_000);
        // Defaults keep the proportions of the performance issue: half as many partnerships as cities, ten exchanges each.
        return new ScaleDataOptions(
            cities,
            Number("--partnerships", cities / 2),
            Number("--exchanges", cities * 5),
            Value("--gazetteer"),
            Number("--seed", 42));
    }
}
