namespace SemanticManipulation.Checkpoints;

/// <summary>A Python dict (or <c>collections.OrderedDict</c>), keeping insertion order like Python does.</summary>
internal sealed class PickleDict
{
    private readonly List<KeyValuePair<object?, object?>> _entries = [];
    private readonly Dictionary<object, int> _index = [];

    public IReadOnlyList<KeyValuePair<object?, object?>> Entries => _entries;

    /// <summary>Sets a key like <c>d[key] = value</c>: a repeated key keeps its first position and takes the new value.</summary>
    public void Set(object? key, object? value)
    {
        // Only hashable scalars are indexed; other keys (tuples, None) are rare in checkpoints and simply appended.
        if (key is string or long or bool or double or System.Numerics.BigInteger)
        {
            if (_index.TryGetValue(key, out var position))
            {
                _entries[position] = new(key, value);
                return;
            }

            _index[key] = _entries.Count;
        }

        _entries.Add(new(key, value));
    }

    public object? Get(string key) =>
        _index.TryGetValue(key, out var position) ? _entries[position].Value : null;
}
