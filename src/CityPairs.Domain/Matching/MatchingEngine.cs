using System.Numerics;
using CityPairs.Domain.Common;

namespace CityPairs.Domain.Matching;

/// <summary>
/// Finds the best partners for one city. Pure: everything it needs is in the snapshot and the query.
/// One pass scores every candidate with bit operations and keeps the best k in a small heap; only those
/// k are then explained, which is where the allocations happen.
/// </summary>
public static class MatchingEngine
{
    public static IReadOnlyList<MatchSuggestion> TopMatches(MatchingSnapshot snapshot, MatchQuery query)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(query);
        var weights = query.Weights ?? MatchWeights.Default;
        weights.Validate();
        if (query.Limit < 1 || query.Limit > MatchQuery.MaxLimit)
        {
            throw new ArgumentOutOfRangeException(nameof(query), query.Limit, $"Limit must be between 1 and {MatchQuery.MaxLimit}.");
        }

        if (!snapshot.TryGetIndex(query.CityId, out var self))
        {
            throw new KeyNotFoundException($"City {query.CityId} is not in the matching snapshot.");
        }

        var scorer = new PairScorer(snapshot, weights);
        ref readonly var me = ref snapshot.Row(self);
        var myWords = snapshot.Words(self);
        var allowedRegions = AllowedRegions((Region)me.Region, query);
        var countries = AllowedCountries(snapshot, query.CountryCodes);
        var minPopulation = query.MinPopulation ?? int.MinValue;
        var maxPopulation = query.MaxPopulation ?? int.MaxValue;
        var populationBand = query.MinPopulation is not null || query.MaxPopulation is not null;
        var excluded = query.ExcludedCityIds.Count == 0 ? null : query.ExcludedCityIds.ToHashSet();
        var top = new TopK(snapshot, query.Limit);
        var stride = snapshot.Stride;
        var maxDistance = scorer.MaxDistancePoints;
        var oneWord = stride == 3;
        var (myOffers, mySeeks, myLanguages) = oneWord ? (myWords[0], myWords[1], myWords[2]) : (0UL, 0UL, 0UL);
        var bound = new UpperBound(snapshot, scorer, weights, me.Sdgs, myOffers, mySeeks);
        var calls = LiveCalls.For(snapshot, self, query.Today, weights);

        for (var c = 0; c < snapshot.ChunkCount; c++)
        {
            var rows = snapshot.RowChunk(c);
            var words = snapshot.WordChunk(c);
            var first = c << MatchingSnapshot.ChunkShift;
            var end = Math.Min(MatchingSnapshot.ChunkSize, snapshot.Count - first);
            for (var r = 0; r < end; r++)
            {
                ref readonly var row = ref rows[r];
                if ((row.Flags & MatchingSnapshot.FlagHidden) != 0
                    || (allowedRegions & (1 << row.Region)) == 0
                    || (countries is not null && !countries[row.Country])
                    || (populationBand && (row.Population < 0 || row.Population < minPopulation || row.Population > maxPopulation))
                    || first + r == self)
                {
                    continue;
                }

                // Zero for almost every row: only the querying city's own live call or a seeking candidate can add points.
                var callCeiling = calls is not null && calls.MayApply(row) ? weights.LiveCall : 0;
                double score;
                if (oneWord)
                {
                    ulong offers = words[r * 3], seeks = words[(r * 3) + 1], languages = words[(r * 3) + 2];
                    if (top.IsFull && bound.Of(me.Sdgs & row.Sdgs, myOffers, mySeeks, offers, seeks, (myLanguages & languages) != 0) + callCeiling < top.WorstScore)
                    {
                        continue;
                    }

                    score = scorer.BaseScoreOneWord(me, myOffers, mySeeks, myLanguages, row, offers, seeks, languages);
                }
                else
                {
                    score = scorer.BaseScore(me, myWords, row, words.AsSpan(r * stride, stride));
                }

                if (callCeiling > 0)
                {
                    var (forward, backward) = calls!.Overlap(me, myWords, first + r, row, words.AsSpan(r * stride, stride));
                    score += scorer.CallPoints(forward + backward);
                }

                // Strictly below: a candidate that could only tie still needs its exact score for the name order.
                if (top.IsFull && score + maxDistance < top.WorstScore)
                {
                    continue;
                }

                score += scorer.DistancePoints(me, row);
                if (top.Accepts(score, first + r) && (excluded is null || !excluded.Contains(row.Id)))
                {
                    top.Add(score, first + r);
                }
            }
        }

        var discontinued = query.DiscontinuedWithCityIds.Count == 0 ? null : query.DiscontinuedWithCityIds.ToHashSet();
        var winners = top.InOrder();
        var suggestions = new MatchSuggestion[winners.Count];
        for (var i = 0; i < winners.Count; i++)
        {
            var (score, index) = winners[i];
            var flagged = discontinued is not null && discontinued.Contains(snapshot.Row(index).Id);
            suggestions[i] = Explain(snapshot, scorer, calls, self, index, score, flagged);
        }

        return suggestions;
    }

    /// <summary>
    /// The score and its reasons for one pair, whatever the filters; for a "why not this city?" view and
    /// for checking a pairing someone proposed by hand.
    /// </summary>
    public static MatchSuggestion Explain(
        MatchingSnapshot snapshot,
        int cityId,
        int candidateId,
        MatchWeights? weights = null,
        bool previouslyDiscontinued = false,
        DateOnly? today = null)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        weights ??= MatchWeights.Default;
        weights.Validate();
        if (!snapshot.TryGetIndex(cityId, out var a))
        {
            throw new KeyNotFoundException($"City {cityId} is not in the matching snapshot.");
        }

        if (!snapshot.TryGetIndex(candidateId, out var b))
        {
            throw new KeyNotFoundException($"City {candidateId} is not in the matching snapshot.");
        }

        var scorer = new PairScorer(snapshot, weights);
        var calls = LiveCalls.For(snapshot, a, today, weights);
        return Explain(snapshot, scorer, calls, a, b, Score(snapshot, scorer, calls, a, b), previouslyDiscontinued);
    }

    /// <summary>The total score of a pair; the same number <see cref="TopMatches"/> ranks by.</summary>
    public static double Score(MatchingSnapshot snapshot, int cityId, int candidateId, MatchWeights? weights = null, DateOnly? today = null) =>
        Explain(snapshot, cityId, candidateId, weights, today: today).Score;

    /// <summary>Added in the scan's order (base, call, distance), so the score shown is bit for bit the one ranked by.</summary>
    private static double Score(MatchingSnapshot snapshot, PairScorer scorer, LiveCalls? calls, int a, int b)
    {
        ref readonly var rowA = ref snapshot.Row(a);
        ref readonly var rowB = ref snapshot.Row(b);
        var score = scorer.BaseScore(rowA, snapshot.Words(a), rowB, snapshot.Words(b));
        if (calls is not null && calls.MayApply(rowB))
        {
            var (forward, backward) = calls.Overlap(rowA, snapshot.Words(a), b, rowB, snapshot.Words(b));
            score += scorer.CallPoints(forward + backward);
        }

        return score + scorer.DistancePoints(rowA, rowB);
    }

    private static MatchSuggestion Explain(MatchingSnapshot snapshot, PairScorer scorer, LiveCalls? calls, int a, int b, double score, bool discontinued)
    {
        ref readonly var rowA = ref snapshot.Row(a);
        ref readonly var rowB = ref snapshot.Row(b);
        var wordsA = snapshot.Words(a);
        var wordsB = snapshot.Words(b);
        var w = snapshot.ThemeWords;
        var parts = new List<ScorePart>(8);

        var sdgBits = rowA.Sdgs & rowB.Sdgs;
        if (sdgBits != 0)
        {
            var sdgs = new List<int>();
            for (var bits = sdgBits; bits != 0; bits &= bits - 1)
            {
                sdgs.Add(BitOperations.TrailingZeroCount(bits) + 1);
            }

            parts.Add(new ScorePart(ScorePartKind.SharedSdg, scorer.SdgPoints(PairScorer.Sum(sdgBits, snapshot.SdgWeights, 0))) { Ids = sdgs });
        }

        var shared = ThemePart(snapshot, wordsA, wordsB, w, (ao, asks, bo, bs) => (ao | asks) & (bo | bs));
        var forward = ThemePart(snapshot, wordsA, wordsB, w, (ao, _, _, bs) => ao & bs);
        var backward = ThemePart(snapshot, wordsA, wordsB, w, (_, asks, bo, _) => asks & bo);
        if (shared.Ids.Count > 0)
        {
            parts.Add(new ScorePart(ScorePartKind.SharedTheme, scorer.ThemePoints(shared.Overlap)) { Ids = shared.Ids });
        }

        if (forward.Ids.Count > 0)
        {
            parts.Add(new ScorePart(ScorePartKind.OfferMeetsNeed, scorer.ComplementPoints(forward.Overlap)) { Ids = forward.Ids });
        }

        if (backward.Ids.Count > 0)
        {
            parts.Add(new ScorePart(ScorePartKind.NeedMetByOffer, scorer.ComplementPoints(backward.Overlap)) { Ids = backward.Ids });
        }

        if (forward.Ids.Count > 0 && backward.Ids.Count > 0)
        {
            parts.Add(new ScorePart(ScorePartKind.TwoWayFit, scorer.TwoWayPoints(forward.Overlap, backward.Overlap))
            {
                Ids = [.. forward.Ids.Union(backward.Ids).Order()],
            });
        }

        if (rowA.Population > 0 && rowB.Population > 0)
        {
            parts.Add(new ScorePart(ScorePartKind.PopulationSimilarity, scorer.PopulationPoints(rowA, rowB))
            {
                PopulationRatio = (double)Math.Max(rowA.Population, rowB.Population) / Math.Min(rowA.Population, rowB.Population),
            });
        }

        var languages = new List<string>();
        for (var k = 2 * w; k < snapshot.Stride; k++)
        {
            for (var bits = wordsA[k] & wordsB[k]; bits != 0; bits &= bits - 1)
            {
                languages.Add(snapshot.LanguageAt(((k - (2 * w)) << 6) + BitOperations.TrailingZeroCount(bits)));
            }
        }

        if (languages.Count > 0)
        {
            parts.Add(new ScorePart(ScorePartKind.SharedLanguage, scorer.LanguagePoints) { Languages = [.. languages.Order(StringComparer.Ordinal)] });
        }

        parts.Add(new ScorePart(ScorePartKind.Distance, scorer.DistancePoints(rowA, rowB)) { DistanceKm = PairScorer.DistanceKm(rowA, rowB) });

        var city = snapshot.ProfileAt(a);
        var candidate = snapshot.ProfileAt(b);
        if (calls is not null)
        {
            AddCallParts(parts, scorer, calls, a, city.Id, rowA, wordsA, b, candidate.Id, rowB, wordsB);
        }

        return new MatchSuggestion(
            city.Id, city.Name, candidate.Id, candidate.Name, candidate.CountryCode, candidate.Region, score, parts, discontinued);
    }

    /// <summary>
    /// One part per city whose live call the other meets, the call points shared between them in proportion to
    /// their overlap, so the parts still add up to the score.
    /// </summary>
    private static void AddCallParts(
        List<ScorePart> parts, PairScorer scorer, LiveCalls calls,
        int a, int cityId, in CityRow rowA, ReadOnlySpan<ulong> wordsA, int b, int candidateId, in CityRow rowB, ReadOnlySpan<ulong> wordsB)
    {
        var mine = calls.Met(a, rowB, wordsB);
        var theirs = calls.Met(b, rowA, wordsA);
        var total = (mine?.Overlap ?? 0) + (theirs?.Overlap ?? 0);
        var points = scorer.CallPoints(total);
        if (!(points > 0))
        {
            return;
        }

        foreach (var (met, seeker) in new[] { (mine, cityId), (theirs, candidateId) })
        {
            if (met is { } m)
            {
                parts.Add(new ScorePart(ScorePartKind.SeekingPartners, points * m.Overlap / total)
                {
                    Ids = m.ThemeIds, Sdgs = m.Sdgs, Until = m.Until, SeekerCityId = seeker,
                });
            }
        }
    }

    private static (double Overlap, List<int> Ids) ThemePart(
        MatchingSnapshot snapshot,
        ReadOnlySpan<ulong> a,
        ReadOnlySpan<ulong> b,
        int w,
        Func<ulong, ulong, ulong, ulong, ulong> select)
    {
        double overlap = 0;
        var ids = new List<int>();
        for (var k = 0; k < w; k++)
        {
            var bits = select(a[k], a[w + k], b[k], b[w + k]);
            overlap += PairScorer.Sum(bits, snapshot.ThemeWeights, k << 6);
            for (; bits != 0; bits &= bits - 1)
            {
                ids.Add(snapshot.ThemeIdAt((k << 6) + BitOperations.TrailingZeroCount(bits)));
            }
        }

        ids.Sort();
        return (overlap, ids);
    }

    /// <summary>
    /// Eligibility depends only on the two regions, so it is decided once per region here and the scan
    /// tests one bit.
    /// </summary>
    private static int AllowedRegions(Region mine, MatchQuery query)
    {
        var mask = 0;
        foreach (var region in Enum.GetValues<Region>())
        {
            if (query.Regions is { Count: > 0 } wanted && !wanted.Contains(region))
            {
                continue;
            }

            Region[] pair = [mine, region];
            if (query.Eligibility.All(rule => rule.IsMetBy(pair)))
            {
                mask |= 1 << (int)region;
            }
        }

        return mask;
    }

    private static bool[]? AllowedCountries(MatchingSnapshot snapshot, IReadOnlyCollection<string>? codes)
    {
        if (codes is not { Count: > 0 })
        {
            return null;
        }

        var allowed = new bool[snapshot.CountryCount];
        foreach (var code in codes)
        {
            if (snapshot.TryGetCountry(code, out var position))
            {
                allowed[position] = true;
            }
        }

        return allowed;
    }

    /// <summary>
    /// A ceiling on a candidate's score from popcounts alone, so most of 100,000 candidates are rejected
    /// without a single data-dependent loop or division. Every overlap is a subset of the query city's own
    /// items, so p shared items weigh at most the p heaviest of the query city's: tables indexed by p,
    /// built once per query, give a ceiling that is exact when the rarest items are the shared ones.
    /// </summary>
    private readonly struct UpperBound
    {
        // Covers the rounding difference between summing heaviest-first here and bit order in the scorer.
        private const double Slack = 1e-9;

        private readonly double[] _sdg;
        private readonly double[] _shared;
        private readonly double[] _forward;
        private readonly double[] _backward;
        private readonly double[] _forwardFit;
        private readonly double[] _backwardFit;
        private readonly double _twoWay;
        private readonly double _language;
        private readonly double _rest;

        public UpperBound(MatchingSnapshot snapshot, PairScorer scorer, MatchWeights weights, uint sdgs, ulong offers, ulong seeks)
        {
            _sdg = Table(sdgs, snapshot.SdgWeights, o => weights.SharedSdg * scorer.Saturate(o));
            _shared = Table(offers | seeks, snapshot.ThemeWeights, o => weights.SharedTheme * scorer.Saturate(o));
            _forward = Table(offers, snapshot.ThemeWeights, o => weights.Complementarity * scorer.Saturate(o));
            _backward = Table(seeks, snapshot.ThemeWeights, o => weights.Complementarity * scorer.Saturate(o));
            _forwardFit = Table(offers, snapshot.ThemeWeights, scorer.Saturate);
            _backwardFit = Table(seeks, snapshot.ThemeWeights, scorer.Saturate);
            _twoWay = weights.TwoWayBonus;
            _language = weights.SharedLanguage;
            _rest = weights.PopulationSimilarity + weights.Distance + Slack;
        }

        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
        public double Of(uint sharedSdgs, ulong myOffers, ulong mySeeks, ulong offers, ulong seeks, bool language)
        {
            var forward = BitOperations.PopCount(myOffers & seeks);
            var backward = BitOperations.PopCount(mySeeks & offers);
            var forwardFit = _forwardFit[forward];
            var backwardFit = _backwardFit[backward];
            return _sdg[BitOperations.PopCount(sharedSdgs)]
                + _shared[BitOperations.PopCount((myOffers | mySeeks) & (offers | seeks))]
                + _forward[forward]
                + _backward[backward]
                + (_twoWay * (forwardFit < backwardFit ? forwardFit : backwardFit))
                + (language ? _language : 0)
                + _rest;
        }

        private static double[] Table(ulong bits, double[] weights, Func<double, double> points)
        {
            var heaviestFirst = new List<double>();
            for (; bits != 0; bits &= bits - 1)
            {
                heaviestFirst.Add(weights[BitOperations.TrailingZeroCount(bits)]);
            }

            heaviestFirst.Sort((x, y) => y.CompareTo(x));
            var table = new double[65];
            double sum = 0;
            for (var p = 0; p < table.Length; p++)
            {
                if (p > 0 && p <= heaviestFirst.Count)
                {
                    sum += heaviestFirst[p - 1];
                }

                table[p] = points(sum);
            }

            return table;
        }
    }

    /// <summary>
    /// The best k seen so far, as a binary heap with the worst at the root, so a candidate that cannot
    /// make the list is rejected with one comparison. Ties are broken by name then id, the same order the
    /// final list uses, so the cut at k is as deterministic as the list.
    /// </summary>
    private sealed class TopK(MatchingSnapshot snapshot, int capacity)
    {
        private readonly double[] _scores = new double[capacity];
        private readonly int[] _indexes = new int[capacity];
        private int _count;

        public bool IsFull => _count == capacity;

        public double WorstScore => _scores[0];

        public bool Accepts(double score, int index) => !IsFull || Better(score, index, _scores[0], _indexes[0]);

        public void Add(double score, int index)
        {
            if (!IsFull)
            {
                var i = _count++;
                while (i > 0)
                {
                    var parent = (i - 1) >> 1;
                    if (!Better(_scores[parent], _indexes[parent], score, index))
                    {
                        break;
                    }

                    _scores[i] = _scores[parent];
                    _indexes[i] = _indexes[parent];
                    i = parent;
                }

                _scores[i] = score;
                _indexes[i] = index;
                return;
            }

            var at = 0;
            while (true)
            {
                var child = (2 * at) + 1;
                if (child >= _count)
                {
                    break;
                }

                if (child + 1 < _count && Better(_scores[child], _indexes[child], _scores[child + 1], _indexes[child + 1]))
                {
                    child++;
                }

                if (!Better(score, index, _scores[child], _indexes[child]))
                {
                    break;
                }

                _scores[at] = _scores[child];
                _indexes[at] = _indexes[child];
                at = child;
            }

            _scores[at] = score;
            _indexes[at] = index;
        }

        public List<(double Score, int Index)> InOrder()
        {
            var list = new List<(double Score, int Index)>(_count);
            for (var i = 0; i < _count; i++)
            {
                list.Add((_scores[i], _indexes[i]));
            }

            list.Sort((x, y) => Better(x.Score, x.Index, y.Score, y.Index) ? -1 : Better(y.Score, y.Index, x.Score, x.Index) ? 1 : 0);
            return list;
        }

        private bool Better(double score, int index, double otherScore, int otherIndex)
        {
            if (score != otherScore)
            {
                return score > otherScore;
            }

            var byName = string.CompareOrdinal(snapshot.ProfileAt(index).Name, snapshot.ProfileAt(otherIndex).Name);
            return byName != 0 ? byName < 0 : snapshot.Row(index).Id < snapshot.Row(otherIndex).Id;
        }
    }
}
