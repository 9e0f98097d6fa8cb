using CityPairs.Domain.Cities;
using CityPairs.Domain.Common;

namespace CityPairs.Domain.Matching;

/// <summary>One theme on a city's profile and whether the city offers experience in it, seeks it, or both.</summary>
public readonly record struct ThemeChoice(int ThemeId, ThemeInterest Interest);

/// <summary>
/// What the matcher needs to know about a city, detached from the EF entity so the engine can hold a
/// registry of 100,000 cities without their contacts, profiles or change tracking.
/// </summary>
public sealed record CityProfile(
    int Id,
    string Name,
    string CountryCode,
    Region Region,
    int? Population,
    double Latitude,
    double Longitude,
    IReadOnlyList<string> Languages,
    IReadOnlyList<int> PrioritySdgs,
    IReadOnlyList<ThemeChoice> Themes,
    bool IsArchived = false)
{
    /// <summary>
    /// The city's open "seeking partners" calls; the engine counts those still live on the query's day
    /// (<see cref="MatchQuery.Today"/>), so a call expires without the snapshot being rebuilt.
    /// </summary>
    public IReadOnlyList<SeekingCall> Calls { get; init; } = [];

    public static CityProfile From(City city)
    {
        ArgumentNullException.ThrowIfNull(city);
        return new CityProfile(
            city.Id,
            city.Name,
            city.CountryCode,
            city.Region,
            city.Population,
            city.Latitude,
            city.Longitude,
            city.Languages.ToArray(),
            city.PrioritySdgs.ToArray(),
            city.Themes.Select(t => new ThemeChoice(t.ThemeId, t.Interest)).ToArray(),
            city.IsArchived);
    }
}

/// <summary>What the matcher needs of a city's "seeking partners" call: what it seeks and until when.</summary>
public sealed record SeekingCall(int CallId, string Title, DateOnly ExpiresOn, IReadOnlyList<int> SoughtThemeIds, IReadOnlyList<int> SoughtSdgs)
{
    public bool IsLiveOn(DateOnly today) => ExpiresOn > today;
}
