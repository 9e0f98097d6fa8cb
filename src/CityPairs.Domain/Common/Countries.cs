using System.Collections.Frozen;

namespace CityPairs.Domain.Common;

/// <summary>
/// ISO 3166-1 alpha-2 codes with their world region. Choosing a country fills the region, and validation
/// refuses codes that are not listed here.
/// </summary>
public static class Countries
{
    private static readonly FrozenDictionary<string, (string Name, Region Region)> All = new Dictionary<string, (string, Region)>
    {
        // Europe
        ["AD"] = ("Andorra", Region.Europe), ["AL"] = ("Albania", Region.Europe), ["AT"] = ("Austria", Region.Europe),
        ["BA"] = ("Bosnia and Herzegovina", Region.Europe), ["BE"] = ("Belgium", Region.Europe), ["BG"] = ("Bulgaria", Region.Europe),
        ["BY"] = ("Belarus", Region.Europe), ["CH"] = ("Switzerland", Region.Europe), ["CY"] = ("Cyprus", Region.Europe),
        ["CZ"] = ("Czechia", Region.Europe), ["DE"] = ("Germany", Region.Europe), ["DK"] = ("Denmark", Region.Europe),
        ["EE"] = ("Estonia", Region.Europe), ["ES"] = ("Spain", Region.Europe), ["FI"] = ("Finland", Region.Europe),
        ["FR"] = ("France", Region.Europe), ["GB"] = ("United Kingdom", Region.Europe), ["GR"] = ("Greece", Region.Europe),
        ["HR"] = ("Croatia", Region.Europe), ["HU"] = ("Hungary", Region.Europe), ["IE"] = ("Ireland", Region.Europe),
        ["IS"] = ("Iceland", Region.Europe), ["IT"] = ("Italy", Region.Europe), ["LI"] = ("Liechtenstein", Region.Europe),
        ["LT"] = ("Lithuania", Region.Europe), ["LU"] = ("Luxembourg", Region.Europe), ["LV"] = ("Latvia", Region.Europe),
        ["MC"] = ("Monaco", Region.Europe), ["MD"] = ("Moldova", Region.Europe), ["ME"] = ("Montenegro", Region.Europe),
        ["MK"] = ("North Macedonia", Region.Europe), ["MT"] = ("Malta", Region.Europe), ["NL"] = ("Netherlands", Region.Europe),
        ["NO"] = ("Norway", Region.Europe), ["PL"] = ("Poland", Region.Europe), ["PT"] = ("Portugal", Region.Europe),
        ["RO"] = ("Romania", Region.Europe), ["RS"] = ("Serbia", Region.Europe), ["RU"] = ("Russia", Region.Europe),
        ["SE"] = ("Sweden", Region.Europe), ["SI"] = ("Slovenia", Region.Europe), ["SK"] = ("Slovakia", Region.Europe),
        ["SM"] = ("San Marino", Region.Europe), ["UA"] = ("Ukraine", Region.Europe), ["XK"] = ("Kosovo", Region.Europe),
        // Africa
        ["AO"] = ("Angola", Region.Africa), ["BF"] = ("Burkina Faso", Region.Africa), ["BJ"] = ("Benin", Region.Africa),
        ["BW"] = ("Botswana", Region.Africa), ["CD"] = ("DR Congo", Region.Africa), ["CI"] = ("Côte d'Ivoire", Region.Africa),
        ["CM"] = ("Cameroon", Region.Africa), ["CV"] = ("Cabo Verde", Region.Africa), ["DZ"] = ("Algeria", Region.Africa),
        ["EG"] = ("Egypt", Region.Africa), ["ET"] = ("Ethiopia", Region.Africa), ["GH"] = ("Ghana", Region.Africa),
        ["GN"] = ("Guinea", Region.Africa), ["KE"] = ("Kenya", Region.Africa), ["MA"] = ("Morocco", Region.Africa),
        ["MG"] = ("Madagascar", Region.Africa), ["ML"] = ("Mali", Region.Africa), ["MW"] = ("Malawi", Region.Africa),
        ["MZ"] = ("Mozambique", Region.Africa), ["NA"] = ("Namibia", Region.Africa), ["NE"] = ("Niger", Region.Africa),
        ["NG"] = ("Nigeria", Region.Africa), ["RW"] = ("Rwanda", Region.Africa), ["SN"] = ("Senegal", Region.Africa),
        ["TN"] = ("Tunisia", Region.Africa), ["TZ"] = ("Tanzania", Region.Africa), ["UG"] = ("Uganda", Region.Africa),
        ["ZA"] = ("South Africa", Region.Africa), ["ZM"] = ("Zambia", Region.Africa), ["ZW"] = ("Zimbabwe", Region.Africa),
        // Asia
        ["AE"] = ("United Arab Emirates", Region.Asia), ["BD"] = ("Bangladesh", Region.Asia), ["CN"] = ("China", Region.Asia),
        ["ID"] = ("Indonesia", Region.Asia), ["IL"] = ("Israel", Region.Asia), ["IN"] = ("India", Region.Asia),
        ["JO"] = ("Jordan", Region.Asia), ["JP"] = ("Japan", Region.Asia), ["KH"] = ("Cambodia", Region.Asia),
        ["KR"] = ("South Korea", Region.Asia), ["KZ"] = ("Kazakhstan", Region.Asia), ["LB"] = ("Lebanon", Region.Asia),
        ["LK"] = ("Sri Lanka", Region.Asia), ["MN"] = ("Mongolia", Region.Asia), ["MY"] = ("Malaysia", Region.Asia),
        ["NP"] = ("Nepal", Region.Asia), ["PH"] = ("Philippines", Region.Asia), ["PK"] = ("Pakistan", Region.Asia),
        ["PS"] = ("Palestine", Region.Asia), ["SG"] = ("Singapore", Region.Asia), ["TH"] = ("Thailand", Region.Asia),
        ["TR"] = ("Türkiye", Region.Asia), ["TW"] = ("Taiwan", Region.Asia), ["VN"] = ("Viet Nam", Region.Asia),
        // North America
        ["CA"] = ("Canada", Region.NorthAmerica), ["US"] = ("United States", Region.NorthAmerica),
        // Latin America and the Caribbean
        ["AR"] = ("Argentina", Region.LatinAmericaAndCaribbean), ["BO"] = ("Bolivia", Region.LatinAmericaAndCaribbean),
        ["BR"] = ("Brazil", Region.LatinAmericaAndCaribbean), ["CL"] = ("Chile", Region.LatinAmericaAndCaribbean),
        ["CO"] = ("Colombia", Region.LatinAmericaAndCaribbean), ["CR"] = ("Costa Rica", Region.LatinAmericaAndCaribbean),
        ["CU"] = ("Cuba", Region.LatinAmericaAndCaribbean), ["DO"] = ("Dominican Republic", Region.LatinAmericaAndCaribbean),
        ["EC"] = ("Ecuador", Region.LatinAmericaAndCaribbean), ["GT"] = ("Guatemala", Region.LatinAmericaAndCaribbean),
        ["HN"] = ("Honduras", Region.LatinAmericaAndCaribbean), ["HT"] = ("Haiti", Region.LatinAmericaAndCaribbean),
        ["JM"] = ("Jamaica", Region.LatinAmericaAndCaribbean), ["MX"] = ("Mexico", Region.LatinAmericaAndCaribbean),
        ["NI"] = ("Nicaragua", Region.LatinAmericaAndCaribbean), ["PA"] = ("Panama", Region.LatinAmericaAndCaribbean),
        ["PE"] = ("Peru", Region.LatinAmericaAndCaribbean), ["PY"] = ("Paraguay", Region.LatinAmericaAndCaribbean),
        ["SV"] = ("El Salvador", Region.LatinAmericaAndCaribbean), ["UY"] = ("Uruguay", Region.LatinAmericaAndCaribbean),
        ["VE"] = ("Venezuela", Region.LatinAmericaAndCaribbean),
        // Oceania
        ["AU"] = ("Australia", Region.Oceania), ["FJ"] = ("Fiji", Region.Oceania), ["NZ"] = ("New Zealand", Region.Oceania),
        ["PG"] = ("Papua New Guinea", Region.Oceania), ["WS"] = ("Samoa", Region.Oceania),
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    public static IEnumerable<string> Codes => All.Keys.Order(StringComparer.Ordinal);

    public static bool IsKnown(string? code) => code is not null && All.ContainsKey(code);

    public static string NameOf(string code) => All.TryGetValue(code, out var c) ? c.Name : code;

    public static Region? RegionOf(string? code) => code is not null && All.TryGetValue(code, out var c) ? c.Region : null;
}
