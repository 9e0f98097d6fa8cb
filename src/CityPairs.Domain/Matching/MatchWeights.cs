namespace CityPairs.Domain.Matching;

/// <summary>
/// How much each reason for a match counts. Every weight is the most points its part can give, so the
/// defaults read as a budget: what the two cities share and how they complement each other (12 of 17.5
/// points) matters more than where they are (4), and a live call for partners adds a visible 1.5. A programme
/// may supply its own weights (the call weight stays the default one there).
/// </summary>
public sealed record MatchWeights
{
    public static MatchWeights Default { get; } = new();

    /// <summary>Priority SDGs both cities list (seed 004: partners "identify common priority SDGs").</summary>
    public double SharedSdg { get; init; } = 2;

    /// <summary>Themes both cities list, whatever their interest: common ground to talk about.</summary>
    public double SharedTheme { get; init; } = 2;

    /// <summary>
    /// Per direction: one city offers what the other seeks. Counted both ways, so this is the largest
    /// budget, because complementarity is what made Rotterdam-Surat and Kamakura-Umea work.
    /// </summary>
    public double Complementarity { get; init; } = 3;

    /// <summary>Extra for a fit that runs both ways, so an equitable pairing beats a donor-recipient one.</summary>
    public double TwoWayBonus { get; init; } = 2;

    /// <summary>Similar size helps learning (seed 003, UCLG-ASPAC: "similar levels of development").</summary>
    public double PopulationSimilarity { get; init; } = 1;

    /// <summary>A common working language saves interpretation (seed 004).</summary>
    public double SharedLanguage { get; init; } = 1;

    /// <summary>Visits cost money and emissions (seed 004), so nearer partners earn more.</summary>
    public double Distance { get; init; } = 2;

    /// <summary>
    /// A live "seeking partners" call of either city whose sought themes or SDGs the other city offers or
    /// works on. The city that seeks decides (DOMAIN.md), and a call says it is looking now, so a met call
    /// earns at least half this weight; more overlap adds the rest. Kept below the complementarity budget:
    /// a call makes a good match visible, it does not turn a poor one into the best.
    /// </summary>
    public double LiveCall { get; init; } = 1.5;

    /// <summary>The great-circle distance at which the distance part has fallen to half its weight.</summary>
    public double DistanceHalfKm { get; init; } = 3000;

    /// <summary>
    /// How much rarity-weighted overlap earns half a part's weight. An item one city in ten lists weighs
    /// 1.0, so by default two such shared SDGs earn half of <see cref="SharedSdg"/>; more overlap keeps
    /// adding, with diminishing returns, so a city cannot win by ticking every box.
    /// </summary>
    public double HalfSaturation { get; init; } = 2;

    /// <summary>The highest score any pair can reach with these weights.</summary>
    public double Maximum =>
        SharedSdg + SharedTheme + (2 * Complementarity) + TwoWayBonus + PopulationSimilarity + SharedLanguage + Distance + LiveCall;

    /// <summary>Negative weights would let a shared theme lower a score, which users would read as a bug.</summary>
    public void Validate()
    {
        double[] all = [SharedSdg, SharedTheme, Complementarity, TwoWayBonus, PopulationSimilarity, SharedLanguage, Distance, LiveCall];
        if (all.Any(w => !(w >= 0) || double.IsInfinity(w)))
        {
            throw new ArgumentException("Match weights must be finite and not negative.");
        }

        if (!(DistanceHalfKm > 0) || !(HalfSaturation > 0) || double.IsInfinity(DistanceHalfKm) || double.IsInfinity(HalfSaturation))
        {
            throw new ArgumentException("DistanceHalfKm and HalfSaturation must be finite and positive.");
        }
    }
}
