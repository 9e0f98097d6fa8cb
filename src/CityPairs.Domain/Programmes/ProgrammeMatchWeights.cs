using CityPairs.Domain.Matching;

namespace CityPairs.Domain.Programmes;

/// <summary>
/// A programme's own matching weights, stored with the programme. A separate mutable class rather than
/// <see cref="MatchWeights"/> itself: EF tracks an owned value by reference, and the shared immutable
/// <see cref="MatchWeights.Default"/> instance must never become "owned" by two programmes at once.
/// </summary>
public sealed class ProgrammeMatchWeights
{
    public double SharedSdg { get; set; } = MatchWeights.Default.SharedSdg;

    public double SharedTheme { get; set; } = MatchWeights.Default.SharedTheme;

    public double Complementarity { get; set; } = MatchWeights.Default.Complementarity;

    public double TwoWayBonus { get; set; } = MatchWeights.Default.TwoWayBonus;

    public double PopulationSimilarity { get; set; } = MatchWeights.Default.PopulationSimilarity;

    public double SharedLanguage { get; set; } = MatchWeights.Default.SharedLanguage;

    public double Distance { get; set; } = MatchWeights.Default.Distance;

    public double DistanceHalfKm { get; set; } = MatchWeights.Default.DistanceHalfKm;

    public double HalfSaturation { get; set; } = MatchWeights.Default.HalfSaturation;

    public MatchWeights ToMatchWeights() => new()
    {
        SharedSdg = SharedSdg,
        SharedTheme = SharedTheme,
        Complementarity = Complementarity,
        TwoWayBonus = TwoWayBonus,
        PopulationSimilarity = PopulationSimilarity,
        SharedLanguage = SharedLanguage,
        Distance = Distance,
        DistanceHalfKm = DistanceHalfKm,
        HalfSaturation = HalfSaturation,
    };

    public static ProgrammeMatchWeights From(MatchWeights weights)
    {
        ArgumentNullException.ThrowIfNull(weights);
        return new ProgrammeMatchWeights
        {
            SharedSdg = weights.SharedSdg,
            SharedTheme = weights.SharedTheme,
            Complementarity = weights.Complementarity,
            TwoWayBonus = weights.TwoWayBonus,
            PopulationSimilarity = weights.PopulationSimilarity,
            SharedLanguage = weights.SharedLanguage,
            Distance = weights.Distance,
            DistanceHalfKm = weights.DistanceHalfKm,
            HalfSaturation = weights.HalfSaturation,
        };
    }
}
