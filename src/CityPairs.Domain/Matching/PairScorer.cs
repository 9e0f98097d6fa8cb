using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace CityPairs.Domain.Matching;

/// <summary>
/// The scoring formula, shared by the scan and the explanation so the score a user sees is the score the
/// list was ordered by. Every part is symmetric in the two cities (the two complementarity directions
/// swap), and every part only grows when the cities have more in common.
/// </summary>
internal readonly struct PairScorer
{
    private readonly double[] _sdgWeights;
    private readonly double[] _themeWeights;
    private readonly int _themeWords;
    private readonly int _languageWords;
    private readonly double _half;
    private readonly double _wSdg;
    private readonly double _wTheme;
    private readonly double _wComplement;
    private readonly double _wTwoWay;
    private readonly double _wPopulation;
    private readonly double _wLanguage;
    private readonly double _wDistance;
    private readonly double _kmToHalves;
    private readonly double _wCall;

    public PairScorer(MatchingSnapshot snapshot, MatchWeights weights)
    {
        _sdgWeights = snapshot.SdgWeights;
        _themeWeights = snapshot.ThemeWeights;
        _themeWords = snapshot.ThemeWords;
        _languageWords = snapshot.LanguageWords;
        _half = weights.HalfSaturation;
        _wSdg = weights.SharedSdg;
        _wTheme = weights.SharedTheme;
        _wComplement = weights.Complementarity;
        _wTwoWay = weights.TwoWayBonus;
        _wPopulation = weights.PopulationSimilarity;
        _wLanguage = weights.SharedLanguage;
        _wDistance = weights.Distance;
        _kmToHalves = 1 / weights.DistanceHalfKm;
        _wCall = weights.LiveCall;
    }

    /// <summary>The most the distance part can add: what a candidate still needs to beat the current k-th best.</summary>
    public double MaxDistancePoints => _wDistance;

    /// <summary>Everything except distance, which is the one part needing a square root and an asin.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double BaseScore(in CityRow a, ReadOnlySpan<ulong> aWords, in CityRow b, ReadOnlySpan<ulong> bWords)
    {
        var sdg = Sum(a.Sdgs & b.Sdgs, _sdgWeights, 0);
        double shared = 0, forward = 0, backward = 0;
        var w = _themeWords;
        for (var k = 0; k < w; k++)
        {
            ulong aOffers = aWords[k], aSeeks = aWords[w + k], bOffers = bWords[k], bSeeks = bWords[w + k];
            var offset = k << 6;
            shared += Sum((aOffers | aSeeks) & (bOffers | bSeeks), _themeWeights, offset);
            forward += Sum(aOffers & bSeeks, _themeWeights, offset);
            backward += Sum(aSeeks & bOffers, _themeWeights, offset);
        }

        var language = false;
        for (var k = 2 * w; k < (2 * w) + _languageWords; k++)
        {
            language |= (aWords[k] & bWords[k]) != 0;
        }

        var fit1 = Saturate(forward);
        var fit2 = Saturate(backward);

        // fit1 + fit2 and Min are commutative, so swapping the cities gives bit-for-bit the same score.
        return (_wSdg * Saturate(sdg))
            + (_wTheme * Saturate(shared))
            + (_wComplement * (fit1 + fit2))
            + (_wTwoWay * Math.Min(fit1, fit2))
            + PopulationPoints(a, b)
            + (language ? _wLanguage : 0);
    }

    /// <summary>
    /// <see cref="BaseScore"/> for the usual registry of at most 64 themes and 64 languages, with the
    /// bounds checks and loops taken out. The same operations in the same order, so the same bits.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double BaseScoreOneWord(in CityRow a, ulong aOffers, ulong aSeeks, ulong aLanguages, in CityRow b, ulong bOffers, ulong bSeeks, ulong bLanguages)
    {
        ref var sdgWeights = ref MemoryMarshal.GetArrayDataReference(_sdgWeights);
        ref var themeWeights = ref MemoryMarshal.GetArrayDataReference(_themeWeights);
        double sdg = 0, shared = 0, forward = 0, backward = 0;
        for (ulong bits = a.Sdgs & b.Sdgs; bits != 0; bits &= bits - 1)
        {
            sdg += Unsafe.Add(ref sdgWeights, BitOperations.TrailingZeroCount(bits));
        }

        for (var bits = (aOffers | aSeeks) & (bOffers | bSeeks); bits != 0; bits &= bits - 1)
        {
            shared += Unsafe.Add(ref themeWeights, BitOperations.TrailingZeroCount(bits));
        }

        for (var bits = aOffers & bSeeks; bits != 0; bits &= bits - 1)
        {
            forward += Unsafe.Add(ref themeWeights, BitOperations.TrailingZeroCount(bits));
        }

        for (var bits = aSeeks & bOffers; bits != 0; bits &= bits - 1)
        {
            backward += Unsafe.Add(ref themeWeights, BitOperations.TrailingZeroCount(bits));
        }

        var fit1 = Saturate(forward);
        var fit2 = Saturate(backward);
        return (_wSdg * Saturate(sdg))
            + (_wTheme * Saturate(shared))
            + (_wComplement * (fit1 + fit2))
            + (_wTwoWay * Math.Min(fit1, fit2))
            + PopulationPoints(a, b)
            + ((aLanguages & bLanguages) != 0 ? _wLanguage : 0);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double DistancePoints(in CityRow a, in CityRow b) => _wDistance / (1 + (DistanceKm(a, b) * _kmToHalves));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double PopulationPoints(in CityRow a, in CityRow b)
    {
        // A city of unknown size earns nothing here rather than being guessed at.
        var gap = Math.Abs(a.Log10Population - b.Log10Population);
        return double.IsNaN(gap) ? 0 : _wPopulation / (1 + gap);
    }

    /// <summary>Exact great-circle distance: half the chord between unit vectors is the haversine's sqrt(a).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double DistanceKm(in CityRow a, in CityRow b)
    {
        double dx = a.X - b.X, dy = a.Y - b.Y, dz = a.Z - b.Z;
        var halfChord = Math.Sqrt((dx * dx) + (dy * dy) + (dz * dz)) * 0.5;
        return 2 * MatchingSnapshot.EarthRadiusKm * Math.Asin(Math.Min(1, halfChord));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double Saturate(double overlap) => overlap / (overlap + _half);

    public double SdgPoints(double overlap) => _wSdg * Saturate(overlap);

    public double ThemePoints(double overlap) => _wTheme * Saturate(overlap);

    public double ComplementPoints(double overlap) => _wComplement * Saturate(overlap);

    public double TwoWayPoints(double forward, double backward) => _wTwoWay * Math.Min(Saturate(forward), Saturate(backward));

    public double LanguagePoints => _wLanguage;

    /// <summary>
    /// A met call earns half its weight at once (a city said it is looking now, which a person should see
    /// near the top), and overlap adds up to the other half; nothing met, nothing earned.
    /// </summary>
    public double CallPoints(double overlap) => overlap > 0 ? _wCall * (0.5 + (0.5 * Saturate(overlap))) : 0;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Sum(ulong bits, double[] weights, int offset)
    {
        double sum = 0;
        for (; bits != 0; bits &= bits - 1)
        {
            sum += weights[offset + BitOperations.TrailingZeroCount(bits)];
        }

        return sum;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Sum(uint bits, double[] weights, int offset) => Sum((ulong)bits, weights, offset);
}
