using System.Collections.Immutable;
using System.Numerics;
using System.Runtime.InteropServices;
using CityPairs.Domain.Cities;
using CityPairs.Domain.Common;

namespace CityPairs.Domain.Matching;

/// <summary>
/// Everything the scan reads about one city, laid out without references so 100,000 rows are a few
/// megabytes the garbage collector never has to trace.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal struct CityRow
{
    // A unit vector on the sphere: the chord between two of them gives the exact great-circle distance
    // without any trigonometry per candidate except one asin.
    public double X;
    public double Y;
    public double Z;

    /// <summary>NaN when the population is unknown.</summary>
    public double Log10Population;

    public int Id;

    /// <summary>-1 when unknown.</summary>
    public int Population;

    /// <summary>Bit n-1 is SDG n.</summary>
    public uint Sdgs;

    public ushort Country;
    public byte Region;
    public byte Flags;
}

/// <summary>
/// An immutable in-memory index of every city profile, built for one thing: scoring one city against all
/// others in a couple of milliseconds. A web service holds one snapshot in a field and replaces it
/// (Interlocked.Exchange or a volatile write) when a city is saved; readers keep using the snapshot they
/// started with, so no locks are needed. <see cref="WithUpsert"/> copies only the 1,024-row chunk that
/// changes, so a save costs microseconds, not the 100+ ms of <see cref="Build"/>.
/// </summary>
public sealed class MatchingSnapshot
{
    internal const int ChunkShift = 10;
    internal const int ChunkSize = 1 << ChunkShift;
    internal const int ChunkMask = ChunkSize - 1;
    internal const byte FlagArchived = 1;
    internal const byte FlagRemoved = 2;

    /// <summary>The city has calls for partners (live or not on the query's day); only such rows look up their calls.</summary>
    internal const byte FlagSeeking = 4;

    /// <summary>Flags that keep a row out of every suggestion list.</summary>
    internal const byte FlagHidden = FlagArchived | FlagRemoved;
    internal const int SdgCount = 17;
    internal const double EarthRadiusKm = 6371.0088;

    private readonly CityRow[][] _rows;
    private readonly ulong[][] _words;
    private readonly CityProfile?[][] _profiles;

    // Built once by Build and never written again; cities added later live in _addedIndex.
    private readonly Dictionary<int, int> _baseIndex;
    private readonly ImmutableDictionary<int, int> _addedIndex;
    private readonly Vocabulary<int> _themes;
    private readonly Vocabulary<string> _languages;
    private readonly Vocabulary<string> _countries;
    private readonly int[] _sdgDf;
    private readonly int[] _themeDf;

    // Calls are few (a handful of cities at a time), so they live beside the rows, keyed by row index, and
    // the scan only looks here for rows flagged FlagSeeking.
    private readonly ImmutableDictionary<int, CallBits[]> _calls;

    private MatchingSnapshot(
        CityRow[][] rows,
        ulong[][] words,
        CityProfile?[][] profiles,
        int count,
        int themeWords,
        int languageWords,
        Dictionary<int, int> baseIndex,
        ImmutableDictionary<int, int> addedIndex,
        Vocabulary<int> themes,
        Vocabulary<string> languages,
        Vocabulary<string> countries,
        int[] sdgDf,
        int[] themeDf,
        int cityCount,
        int activeCount,
        ImmutableDictionary<int, CallBits[]> calls)
    {
        _rows = rows;
        _words = words;
        _profiles = profiles;
        Count = count;
        ThemeWords = themeWords;
        LanguageWords = languageWords;
        Stride = (2 * themeWords) + languageWords;
        _baseIndex = baseIndex;
        _addedIndex = addedIndex;
        _themes = themes;
        _languages = languages;
        _countries = countries;
        _sdgDf = sdgDf;
        _themeDf = themeDf;
        CityCount = cityCount;
        ActiveCityCount = activeCount;
        _calls = calls;

        // Rarity weights are cheap (one pass over ~80 document frequencies), so every snapshot, however it
        // was made, carries weights that are exact for its registry and incremental updates never go stale.
        SdgWeights = RarityWeights(sdgDf, activeCount);
        ThemeWeights = RarityWeights(themeDf, activeCount);
    }

    public static MatchingSnapshot Empty { get; } = Build([]);

    /// <summary>Cities held, archived ones included.</summary>
    public int CityCount { get; }

    /// <summary>Cities that can be suggested (not archived); the N of the rarity weights.</summary>
    public int ActiveCityCount { get; }

    /// <summary>Slots left by removed cities since the last <see cref="Build"/>; rebuild when this grows large.</summary>
    public int RemovedSlots => Count - CityCount;

    internal int Count { get; }

    internal int ThemeWords { get; }

    internal int LanguageWords { get; }

    /// <summary>ulong words per row: offered themes, sought themes, languages.</summary>
    internal int Stride { get; }

    /// <summary>Indexed by bit (SDG n is bit n-1).</summary>
    internal double[] SdgWeights { get; }

    /// <summary>Indexed by theme bit position.</summary>
    internal double[] ThemeWeights { get; }

    internal int ChunkCount => (Count + ChunkMask) >> ChunkShift;

    /// <summary>The array payload of the index, not counting the <see cref="CityProfile"/> objects it keeps for explanations.</summary>
    public long ApproximateMemoryBytes
    {
        get
        {
            long perRow = Marshal.SizeOf<CityRow>() + (Stride * sizeof(ulong)) + IntPtr.Size;
            long indexEntry = 24; // Dictionary<int,int> entry plus bucket
            return ((long)_rows.Length * ChunkSize * perRow) + (CityCount * indexEntry);
        }
    }

    public IEnumerable<CityProfile> Profiles
    {
        get
        {
            for (var i = 0; i < Count; i++)
            {
                if (_profiles[i >> ChunkShift][i & ChunkMask] is { } profile)
                {
                    yield return profile;
                }
            }
        }
    }

    public static MatchingSnapshot Build(IEnumerable<CityProfile> profiles)
    {
        ArgumentNullException.ThrowIfNull(profiles);

        // The registry is keyed by city id; when a caller passes one twice the later profile wins.
        var byId = new Dictionary<int, CityProfile>();
        foreach (var profile in profiles)
        {
            Validate(profile);
            byId[profile.Id] = profile;
        }

        var list = byId.Values.ToArray();
        var themes = Vocabulary<int>.From(list.SelectMany(ThemeIdsOf));
        var languages = Vocabulary<string>.From(list.SelectMany(p => p.Languages).Select(NormaliseLanguage));
        var countries = Vocabulary<string>.From(list.Select(p => NormaliseCountry(p.CountryCode)), StringComparer.Ordinal);
        var themeWords = WordsFor(themes.Count);
        var languageWords = WordsFor(languages.Count);
        var stride = (2 * themeWords) + languageWords;

        var chunkCount = (list.Length + ChunkMask) >> ChunkShift;
        var rows = new CityRow[chunkCount][];
        var words = new ulong[chunkCount][];
        var profileChunks = new CityProfile?[chunkCount][];
        for (var c = 0; c < chunkCount; c++)
        {
            rows[c] = new CityRow[ChunkSize];
            words[c] = new ulong[ChunkSize * stride];
            profileChunks[c] = new CityProfile?[ChunkSize];
        }

        var index = new Dictionary<int, int>(list.Length);
        var sdgDf = new int[SdgCount];
        var themeDf = new int[themeWords * 64];
        var active = 0;
        var calls = ImmutableDictionary.CreateBuilder<int, CallBits[]>();
        for (var i = 0; i < list.Length; i++)
        {
            var profile = list[i];
            var c = i >> ChunkShift;
            var r = i & ChunkMask;
            Fill(profile, ref rows[c][r], words[c].AsSpan(r * stride, stride), themeWords, themes, languages, countries);
            profileChunks[c][r] = profile;
            index[profile.Id] = i;
            if (profile.Calls.Count > 0)
            {
                calls[i] = CallBits.Of(profile, themeWords, themes);
            }

            if (!profile.IsArchived)
            {
                active++;
                Tally(rows[c][r], words[c].AsSpan(r * stride, stride), themeWords, sdgDf, themeDf, +1);
            }
        }

        return new MatchingSnapshot(
            rows, words, profileChunks, list.Length, themeWords, languageWords, index, ImmutableDictionary<int, int>.Empty,
            themes, languages, countries, sdgDf, themeDf, list.Length, active, calls.ToImmutable());
    }

    /// <summary>
    /// A snapshot with this city added or replaced. Copies one chunk of rows and the small frequency
    /// tables; falls back to a full <see cref="Build"/> only when a new theme or language no longer fits
    /// the bitset width (once per 64 new keys).
    /// </summary>
    public MatchingSnapshot WithUpsert(CityProfile profile)
    {
        Validate(profile);
        var themes = _themes.WithAdded(ThemeIdsOf(profile));
        var languages = _languages.WithAdded(profile.Languages.Select(NormaliseLanguage));
        var countries = _countries.WithAdded([NormaliseCountry(profile.CountryCode)]);
        if (WordsFor(themes.Count) > ThemeWords || WordsFor(languages.Count) > LanguageWords || countries.Count > ushort.MaxValue)
        {
            return Build(Profiles.Where(p => p.Id != profile.Id).Append(profile));
        }

        var existing = TryGetSlot(profile.Id, out var slot);
        var removedBefore = existing && (Row(slot).Flags & FlagRemoved) != 0;
        var index = existing ? slot : Count;
        var count = existing ? Count : Count + 1;
        var (rows, words, profiles) = CopyChunkForWrite(index, count);
        var c = index >> ChunkShift;
        var r = index & ChunkMask;
        ref var row = ref rows[c][r];
        var rowWords = words[c].AsSpan(r * Stride, Stride);

        var sdgDf = (int[])_sdgDf.Clone();
        var themeDf = (int[])_themeDf.Clone();
        var active = ActiveCityCount;
        var cities = CityCount;
        if (existing && !removedBefore && (row.Flags & FlagArchived) == 0)
        {
            Tally(row, rowWords, ThemeWords, sdgDf, themeDf, -1);
            active--;
        }

        if (!existing || removedBefore)
        {
            cities++;
        }

        rowWords.Clear();
        Fill(profile, ref row, rowWords, ThemeWords, themes, languages, countries);
        profiles[c][r] = profile;
        if (!profile.IsArchived)
        {
            Tally(row, rowWords, ThemeWords, sdgDf, themeDf, +1);
            active++;
        }

        var added = existing ? _addedIndex : _addedIndex.Add(profile.Id, index);
        var calls = profile.Calls.Count > 0 ? _calls.SetItem(index, CallBits.Of(profile, ThemeWords, themes)) : _calls.Remove(index);
        return new MatchingSnapshot(
            rows, words, profiles, count, ThemeWords, LanguageWords, _baseIndex, added,
            themes, languages, countries, sdgDf, themeDf, cities, active, calls);
    }

    /// <summary>A snapshot without this city. Its slot stays, marked removed, until the next <see cref="Build"/>.</summary>
    public MatchingSnapshot WithRemoved(int cityId)
    {
        if (!TryGetIndex(cityId, out var index))
        {
            return this;
        }

        var (rows, words, profiles) = CopyChunkForWrite(index, Count);
        var c = index >> ChunkShift;
        var r = index & ChunkMask;
        ref var row = ref rows[c][r];
        var sdgDf = (int[])_sdgDf.Clone();
        var themeDf = (int[])_themeDf.Clone();
        var active = ActiveCityCount;
        if ((row.Flags & FlagArchived) == 0)
        {
            Tally(row, words[c].AsSpan(r * Stride, Stride), ThemeWords, sdgDf, themeDf, -1);
            active--;
        }

        row.Flags |= FlagRemoved;
        profiles[c][r] = null;
        return new MatchingSnapshot(
            rows, words, profiles, Count, ThemeWords, LanguageWords, _baseIndex, _addedIndex,
            _themes, _languages, _countries, sdgDf, themeDf, CityCount - 1, active, _calls.Remove(index));
    }

    public bool Contains(int cityId) => TryGetIndex(cityId, out _);

    public CityProfile? Find(int cityId) => TryGetIndex(cityId, out var index) ? ProfileAt(index) : null;

    /// <summary>How rare an SDG is among active cities; 1.0 is as rare as an SDG one city in ten lists.</summary>
    public double SdgWeight(int sdg) => sdg is >= 1 and <= SdgCount ? SdgWeights[sdg - 1] : 0;

    /// <summary>How rare a theme is among active cities; 1.0 is as rare as a theme one city in ten lists.</summary>
    public double ThemeWeight(int themeId) => _themes.TryGetPosition(themeId, out var bit) ? ThemeWeights[bit] : 0;

    internal bool TryGetIndex(int cityId, out int index) =>
        TryGetSlot(cityId, out index) && (Row(index).Flags & FlagRemoved) == 0;

    internal ref readonly CityRow Row(int index) => ref _rows[index >> ChunkShift][index & ChunkMask];

    internal CityRow[] RowChunk(int chunk) => _rows[chunk];

    internal ulong[] WordChunk(int chunk) => _words[chunk];

    internal ReadOnlySpan<ulong> Words(int index) =>
        _words[index >> ChunkShift].AsSpan((index & ChunkMask) * Stride, Stride);

    internal CityProfile ProfileAt(int index) =>
        _profiles[index >> ChunkShift][index & ChunkMask] ?? throw new InvalidOperationException("The city was removed.");

    internal int ThemeIdAt(int bit) => _themes.KeyAt(bit);

    /// <summary>The calls of the city in this row, whatever their expiry; only rows flagged <see cref="FlagSeeking"/> have any.</summary>
    internal bool TryGetCalls(int index, out CallBits[] calls) => _calls.TryGetValue(index, out calls!);

    internal string LanguageAt(int bit) => _languages.KeyAt(bit);

    internal bool TryGetCountry(string code, out int position) => _countries.TryGetPosition(NormaliseCountry(code), out position);

    internal int CountryCount => _countries.Count;

    private bool TryGetSlot(int cityId, out int index) =>
        _baseIndex.TryGetValue(cityId, out index) || _addedIndex.TryGetValue(cityId, out index);

    private (CityRow[][] Rows, ulong[][] Words, CityProfile?[][] Profiles) CopyChunkForWrite(int index, int count)
    {
        var chunkCount = (count + ChunkMask) >> ChunkShift;
        var rows = new CityRow[chunkCount][];
        var words = new ulong[chunkCount][];
        var profiles = new CityProfile?[chunkCount][];
        Array.Copy(_rows, rows, _rows.Length);
        Array.Copy(_words, words, _words.Length);
        Array.Copy(_profiles, profiles, _profiles.Length);
        var c = index >> ChunkShift;
        if (c < _rows.Length)
        {
            rows[c] = (CityRow[])_rows[c].Clone();
            words[c] = (ulong[])_words[c].Clone();
            profiles[c] = (CityProfile?[])_profiles[c].Clone();
        }
        else
        {
            rows[c] = new CityRow[ChunkSize];
            words[c] = new ulong[ChunkSize * Stride];
            profiles[c] = new CityProfile?[ChunkSize];
        }

        return (rows, words, profiles);
    }

    private static void Fill(
        CityProfile profile,
        ref CityRow row,
        Span<ulong> words,
        int themeWords,
        Vocabulary<int> themes,
        Vocabulary<string> languages,
        Vocabulary<string> countries)
    {
        var latitude = double.DegreesToRadians(profile.Latitude);
        var longitude = double.DegreesToRadians(profile.Longitude);
        row.X = Math.Cos(latitude) * Math.Cos(longitude);
        row.Y = Math.Cos(latitude) * Math.Sin(longitude);
        row.Z = Math.Sin(latitude);
        row.Population = profile.Population is > 0 and var p ? p : -1;
        row.Log10Population = row.Population > 0 ? Math.Log10(row.Population) : double.NaN;
        row.Id = profile.Id;
        row.Region = (byte)profile.Region;
        row.Flags = (byte)((profile.IsArchived ? FlagArchived : 0) | (profile.Calls.Count > 0 ? FlagSeeking : 0));
        countries.TryGetPosition(NormaliseCountry(profile.CountryCode), out var country);
        row.Country = (ushort)country;

        uint sdgs = 0;
        foreach (var sdg in profile.PrioritySdgs)
        {
            sdgs |= 1u << (sdg - 1);
        }

        row.Sdgs = sdgs;
        var offered = words[..themeWords];
        var sought = words.Slice(themeWords, themeWords);
        foreach (var (themeId, interest) in profile.Themes)
        {
            themes.TryGetPosition(themeId, out var bit);
            if (interest is ThemeInterest.Offers or ThemeInterest.Both)
            {
                offered[bit >> 6] |= 1UL << bit;
            }

            if (interest is ThemeInterest.Seeks or ThemeInterest.Both)
            {
                sought[bit >> 6] |= 1UL << bit;
            }
        }

        var spoken = words[(2 * themeWords)..];
        foreach (var language in profile.Languages)
        {
            languages.TryGetPosition(NormaliseLanguage(language), out var bit);
            spoken[bit >> 6] |= 1UL << bit;
        }
    }

    private static void Tally(in CityRow row, ReadOnlySpan<ulong> words, int themeWords, int[] sdgDf, int[] themeDf, int delta)
    {
        for (var bits = row.Sdgs; bits != 0; bits &= bits - 1)
        {
            sdgDf[BitOperations.TrailingZeroCount(bits)] += delta;
        }

        for (var k = 0; k < themeWords; k++)
        {
            for (var bits = words[k] | words[themeWords + k]; bits != 0; bits &= bits - 1)
            {
                themeDf[(k << 6) + BitOperations.TrailingZeroCount(bits)] += delta;
            }
        }
    }

    /// <summary>
    /// Inverse document frequency, ln(1 + N / (1 + df)), divided by the value it has for an item one city
    /// in ten lists, so 1.0 reads "as rare as that" whatever the registry's size. SDG 11, listed by most
    /// cities, weighs about 0.4; a theme one city in a hundred works on, about 1.9. The divisor depends on
    /// N only, never on other items, so adding a theme to a city changes that theme's weight and no other:
    /// that is what keeps "a new shared theme never lowers a score" true after a rebuild.
    /// </summary>
    private static double[] RarityWeights(int[] df, int n)
    {
        var reference = Math.Log(1 + (n / (1 + (n / 10.0))));
        if (!(reference > 0))
        {
            reference = 1;
        }

        var weights = new double[df.Length];
        for (var i = 0; i < df.Length; i++)
        {
            weights[i] = Math.Log(1 + (n / (1.0 + df[i]))) / reference;
        }

        return weights;
    }

    /// <summary>A city's own themes and those its calls seek: both need a bit position.</summary>
    private static IEnumerable<int> ThemeIdsOf(CityProfile profile) =>
        profile.Themes.Select(t => t.ThemeId).Concat(profile.Calls.SelectMany(c => c.SoughtThemeIds));

    private static int WordsFor(int keys) => Math.Max(1, (keys + 63) >> 6);

    private static string NormaliseLanguage(string code) => code.Trim().ToLowerInvariant();

    private static string NormaliseCountry(string code) => code.Trim().ToUpperInvariant();

    private static void Validate(CityProfile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        foreach (var sdg in profile.PrioritySdgs)
        {
            if (sdg is < 1 or > SdgCount)
            {
                throw new ArgumentException($"City {profile.Id} lists SDG {sdg}; SDGs are numbered 1 to 17.", nameof(profile));
            }
        }

        foreach (var sdg in profile.Calls.SelectMany(c => c.SoughtSdgs))
        {
            if (sdg is < 1 or > SdgCount)
            {
                throw new ArgumentException($"A call of city {profile.Id} seeks SDG {sdg}; SDGs are numbered 1 to 17.", nameof(profile));
            }
        }

        if (!double.IsFinite(profile.Latitude) || !double.IsFinite(profile.Longitude) || Math.Abs(profile.Latitude) > 90)
        {
            throw new ArgumentException($"City {profile.Id} has no valid coordinates.", nameof(profile));
        }
    }
}

/// <summary>One call's sought SDGs and themes as bits, in the snapshot's theme positions, with the call itself for explanations.</summary>
internal sealed class CallBits
{
    private CallBits(SeekingCall call, uint sdgs, ulong[] themes)
    {
        Call = call;
        Sdgs = sdgs;
        Themes = themes;
    }

    public SeekingCall Call { get; }

    public uint Sdgs { get; }

    /// <summary>ThemeWords long.</summary>
    public ulong[] Themes { get; }

    public static CallBits[] Of(CityProfile profile, int themeWords, Vocabulary<int> themes) =>
        [.. profile.Calls.Select(call =>
        {
            uint sdgs = 0;
            foreach (var sdg in call.SoughtSdgs)
            {
                sdgs |= 1u << (sdg - 1);
            }

            var words = new ulong[themeWords];
            foreach (var themeId in call.SoughtThemeIds)
            {
                themes.TryGetPosition(themeId, out var bit);
                words[bit >> 6] |= 1UL << bit;
            }

            return new CallBits(call, sdgs, words);
        })];
}
