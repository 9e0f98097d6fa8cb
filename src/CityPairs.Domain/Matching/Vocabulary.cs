namespace CityPairs.Domain.Matching;

/// <summary>
/// Maps theme ids, language codes or country codes to dense positions so they fit in bitsets. Never
/// changed after construction: a snapshot that meets a new key gets a new vocabulary and older snapshots
/// keep reading theirs.
/// </summary>
internal sealed class Vocabulary<T>
    where T : notnull
{
    private readonly Dictionary<T, int> _positions;
    private readonly T[] _keys;

    private Vocabulary(Dictionary<T, int> positions, T[] keys)
    {
        _positions = positions;
        _keys = keys;
    }

    public int Count => _keys.Length;

    public static Vocabulary<T> From(IEnumerable<T> keys, IEqualityComparer<T>? comparer = null)
    {
        var distinct = keys.Distinct(comparer).Order().ToArray();
        var positions = new Dictionary<T, int>(distinct.Length, comparer);
        for (var i = 0; i < distinct.Length; i++)
        {
            positions[distinct[i]] = i;
        }

        return new Vocabulary<T>(positions, distinct);
    }

    public bool TryGetPosition(T key, out int position) => _positions.TryGetValue(key, out position);

    public T KeyAt(int position) => _keys[position];

    /// <summary>New keys go to the end so existing bit positions stay valid for the rows already stored.</summary>
    public Vocabulary<T> WithAdded(IEnumerable<T> keys)
    {
        List<T>? added = null;
        foreach (var key in keys)
        {
            if (!_positions.ContainsKey(key) && (added is null || !added.Contains(key, _positions.Comparer)))
            {
                (added ??= []).Add(key);
            }
        }

        if (added is null)
        {
            return this;
        }

        var positions = new Dictionary<T, int>(_positions, _positions.Comparer);
        foreach (var key in added)
        {
            positions[key] = positions.Count;
        }

        return new Vocabulary<T>(positions, [.. _keys, .. added]);
    }
}
