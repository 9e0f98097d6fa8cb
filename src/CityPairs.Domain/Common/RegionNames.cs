namespace CityPairs.Domain.Common;

public static class RegionNames
{
    public static string Of(Region region) => region switch
    {
        Region.Europe => "Europe",
        Region.Africa => "Africa",
        Region.Asia => "Asia",
        Region.NorthAmerica => "North America",
        Region.LatinAmericaAndCaribbean => "Latin America and the Caribbean",
        Region.Oceania => "Oceania",
        _ => region.ToString(),
    };
}
