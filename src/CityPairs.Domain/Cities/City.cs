using CityPairs.Domain.Common;

namespace CityPairs.Domain.Cities;

/// <summary>A local or regional government that takes part in partnerships.</summary>
public sealed class City : Entity
{
    public required string Name { get; set; }

    /// <summary>ISO 3166-1 alpha-2, upper case.</summary>
    public required string CountryCode { get; set; }

    public Region Region { get; set; }

    /// <summary>State, province or department, where it helps tell places apart.</summary>
    public string? AdminArea { get; set; }

    public CityKind Kind { get; set; } = CityKind.City;

    public int? Population { get; set; }

    public double Latitude { get; set; }

    public double Longitude { get; set; }

    /// <summary>Official or working languages as ISO 639-1 codes ("es", "nl").</summary>
    public List<string> Languages { get; set; } = [];

    public string Profile { get; set; } = "";

    public List<int> PrioritySdgs { get; set; } = [];

    public List<CityTheme> Themes { get; set; } = [];

    public List<CityContact> Contacts { get; set; } = [];

    /// <summary>Archived cities keep their history but are hidden from default lists.</summary>
    public bool IsArchived { get; set; }
}

public enum CityKind
{
    City = 1,
    Region = 2,
    AssociationOfMunicipalities = 3,
}

/// <summary>Every partnership should be equitable: a city both offers experience and seeks to learn.</summary>
public enum ThemeInterest
{
    Offers = 1,
    Seeks = 2,
    Both = 3,
}

public sealed class CityTheme
{
    public int CityId { get; set; }

    public int ThemeId { get; set; }

    public ThemeInterest Interest { get; set; }
}

/// <summary>
/// A person who speaks for the city. Coordinators change often, so a contact is never deleted when they
/// leave: it gets an end date and the history stays.
/// </summary>
public sealed class CityContact
{
    public int Id { get; set; }

    public int CityId { get; set; }

    public required string Name { get; set; }

    public string Role { get; set; } = "";

    public required string Email { get; set; }

    public DateOnly ActiveFrom { get; set; }

    public DateOnly? ActiveTo { get; set; }

    public bool IsActiveOn(DateOnly day) => ActiveFrom <= day && (ActiveTo is null || ActiveTo >= day);
}
