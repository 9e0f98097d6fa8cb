namespace CityPairs.Domain.Reference;

/// <summary>A Sustainable Development Goal: reference data, numbered 1 to 17, with its official colour.</summary>
public sealed class Sdg
{
    public const int First = 1;
    public const int Last = 17;

    public int Number { get; set; }

    public required string Title { get; set; }

    /// <summary>The UN's official colour as #RRGGBB, used for chips and charts.</summary>
    public required string Colour { get; set; }

    public static bool IsValid(int number) => number is >= First and <= Last;
}
