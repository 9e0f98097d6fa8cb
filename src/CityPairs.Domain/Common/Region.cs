namespace CityPairs.Domain.Common;

/// <summary>The world regions programmes use in their eligibility rules.</summary>
public enum Region
{
    Europe = 1,
    Africa = 2,
    Asia = 3,
    NorthAmerica = 4,
    LatinAmericaAndCaribbean = 5,
    Oceania = 6,
}
