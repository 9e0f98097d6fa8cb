using System.Numerics;

namespace CityPairs.Domain.Matching;

/// <summary>
/// The "seeking partners" part of a score, for one query: a city's live calls (those expiring after the query's
/// day) count when the other city offers or works on what they seek. Both directions count and are added, so
/// the part is symmetric in the two cities like every other part. Built once per query: the querying city's
/// calls are merged here, and a candidate's are merged into a buffer reused for every candidate, so the scan
/// allocates nothing per candidate and only rows flagged as seeking look their calls up.
/// </summary>
internal sealed class LiveCalls
{
    private readonly MatchingSnapshot _snapshot;
    private readonly DateOnly _today;
    private readonly ulong[] _mine;
    private readonly uint _mineSdgs;
    private readonly ulong[] _theirs;

    private LiveCalls(MatchingSnapshot snapshot, int self, DateOnly today)
    {
        _snapshot = snapshot;
        _today = today;
        _mine = new ulong[snapshot.ThemeWords];
        _theirs = new ulong[snapshot.ThemeWords];
        Mine = Merge(self, _mine, out _mineSdgs, out _);
    }

    /// <summary>Whether the querying city has a live call of its own.</summary>
    public bool Mine { get; }

    /// <summary>Null when calls do not count: no day given, or a weight of zero.</summary>
    public static LiveCalls? For(MatchingSnapshot snapshot, int self, DateOnly? today, MatchWeights weights) =>
        today is { } day && weights.LiveCall > 0 ? new LiveCalls(snapshot, self, day) : null;

    /// <summary>Whether the part can be above zero for this candidate; the scan's ceiling adds the call weight only then.</summary>
    public bool MayApply(in CityRow row) => Mine || (row.Flags & MatchingSnapshot.FlagSeeking) != 0;

    /// <summary>
    /// Rarity-weighted overlap, forward: the candidate offers or works on what the querying city's calls seek;
    /// backward: the querying city offers or works on what the candidate's calls seek. Themes count when
    /// offered, SDGs when listed as a priority.
    /// </summary>
    public (double Forward, double Backward) Overlap(in CityRow me, ReadOnlySpan<ulong> myWords, int candidate, in CityRow row, ReadOnlySpan<ulong> words)
    {
        var forward = Mine ? Weigh(_mineSdgs, _mine, row.Sdgs, words) : 0;
        var backward = (row.Flags & MatchingSnapshot.FlagSeeking) != 0 && Merge(candidate, _theirs, out var sdgs, out _)
            ? Weigh(sdgs, _theirs, me.Sdgs, myWords)
            : 0;
        return (forward, backward);
    }

    /// <summary>
    /// What one city's live calls seek that the other offers, for the explanation: theme ids, SDG numbers and
    /// the latest expiry among the live calls. Null when the seeker has no live call or nothing is met.
    /// </summary>
    public (List<int> ThemeIds, List<int> Sdgs, DateOnly Until, double Overlap)? Met(int seeker, in CityRow other, ReadOnlySpan<ulong> otherWords)
    {
        var sought = new ulong[_snapshot.ThemeWords];
        if (!Merge(seeker, sought, out var soughtSdgs, out var until))
        {
            return null;
        }

        var sdgs = new List<int>();
        for (var bits = soughtSdgs & other.Sdgs; bits != 0; bits &= bits - 1)
        {
            sdgs.Add(BitOperations.TrailingZeroCount(bits) + 1);
        }

        var themes = new List<int>();
        for (var k = 0; k < sought.Length; k++)
        {
            for (var bits = sought[k] & otherWords[k]; bits != 0; bits &= bits - 1)
            {
                themes.Add(_snapshot.ThemeIdAt((k << 6) + BitOperations.TrailingZeroCount(bits)));
            }
        }

        themes.Sort();
        var overlap = Weigh(soughtSdgs, sought, other.Sdgs, otherWords);
        return sdgs.Count == 0 && themes.Count == 0 ? null : (themes, sdgs, until, overlap);
    }

    /// <summary>The same sums in the same order whichever city asks, so the score stays symmetric bit for bit.</summary>
    private double Weigh(uint soughtSdgs, ulong[] soughtThemes, uint sdgs, ReadOnlySpan<ulong> offerWords)
    {
        var sum = PairScorer.Sum(soughtSdgs & sdgs, _snapshot.SdgWeights, 0);
        for (var k = 0; k < soughtThemes.Length; k++)
        {
            // The first ThemeWords words of a row are the themes it offers.
            sum += PairScorer.Sum(soughtThemes[k] & offerWords[k], _snapshot.ThemeWeights, k << 6);
        }

        return sum;
    }

    /// <summary>ORs the live calls of the city in this row into <paramref name="themes"/>; false when none is live.</summary>
    private bool Merge(int index, ulong[] themes, out uint sdgs, out DateOnly until)
    {
        Array.Clear(themes);
        sdgs = 0;
        until = default;
        if (!_snapshot.TryGetCalls(index, out var calls))
        {
            return false;
        }

        var any = false;
        foreach (var call in calls)
        {
            if (!call.Call.IsLiveOn(_today))
            {
                continue;
            }

            any = true;
            sdgs |= call.Sdgs;
            until = call.Call.ExpiresOn > until ? call.Call.ExpiresOn : until;
            for (var k = 0; k < themes.Length; k++)
            {
                themes[k] |= call.Themes[k];
            }
        }

        return any;
    }
}
