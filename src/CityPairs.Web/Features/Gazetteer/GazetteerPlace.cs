namespace CityPairs.Web.Features.Gazetteer;

/// <summary>
/// A populated place from a GeoNames cities file (citiesNNNN.txt), keyed by its GeoNames id so that loading a
/// newer file updates places in place. Reference data only: registering a city copies from it, never links to it.
/// </summary>
public sealed class GazetteerPlace
{
    public int GeonameId { get; set; }

    public string Name { get; set; } = "";

    public string AsciiName { get; set; } = "";

    /// <summary>ISO 3166-1 alpha-2, upper case.</summary>
    public string CountryCode { get; set; } = "";

    /// <summary>GeoNames' admin1 code ("59" for the Basque Country in ES); its name is in <see cref="GazetteerAdminArea"/>.</summary>
    public string? Admin1Code { get; set; }

    public double Latitude { get; set; }

    public double Longitude { get; set; }

    /// <summary>Null when the file has none (GeoNames writes 0 for "unknown"; a sample may leave it empty).</summary>
    public int? Population { get; set; }

    /// <summary>GeoNames feature code: PPL, PPLA (seat of a first-order division), PPLC (capital), ...</summary>
    public string FeatureCode { get; set; } = "";

    public string? Timezone { get; set; }

    public DateOnly? ModifiedOn { get; set; }
}

/// <summary>A first-order administrative division from GeoNames' admin1CodesASCII.txt, so suggestions can name it.</summary>
public sealed class GazetteerAdminArea
{
    /// <summary>"ES.59": country code, a dot, the admin1 code.</summary>
    public string Code { get; set; } = "";

    public string Name { get; set; } = "";
}
