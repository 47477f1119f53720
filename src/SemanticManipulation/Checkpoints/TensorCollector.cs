using static TorchSharp.torch;

namespace SemanticManipulation.Checkpoints;

/// <summary>
/// Builds the tensors of a pickled checkpoint storage by storage, so that each storage is loaded once and freed as
/// soon as its tensors exist (peak memory is the model plus one storage, not twice the model).
/// </summary>
/// <remarks>Call inside a dispose scope: built tensors are moved to it, and <see cref="Finish"/> detaches them, so on
/// any error the scope frees everything built so far.</remarks>
internal sealed class TensorCollector
{
    private readonly List<KeyValuePair<string, TensorReference>> _entries;
    private readonly Tensor?[] _built;
    private readonly Dictionary<string, List<int>> _byKey = new(StringComparer.Ordinal);

    public TensorCollector(List<KeyValuePair<string, TensorReference>> entries)
    {
        _entries = entries;
        _built = new Tensor?[entries.Count];
        for (var i = 0; i < entries.Count; i++)
        {
            var key = entries[i].Value.Storage.Key;
            if (!_byKey.TryGetValue(key, out var users))
            {
                _byKey[key] = users = [];
            }

            users.Add(i);
        }
    }

    /// <summary>The storage keys the tensors use, in order of first use.</summary>
    public IReadOnlyCollection<string> StorageKeys => _byKey.Keys;

    public bool Uses(string key) => _byKey.ContainsKey(key);

    /// <summary>The name of the first tensor that uses the storage, for messages.</summary>
    public string FirstUser(string key) => _entries[_byKey[key][0]].Key;

    /// <summary>
    /// Builds every tensor that uses the storage. <paramref name="load"/> is called once per element type the
    /// storage is viewed as (normally one) with the element count the pickle declares.
    /// </summary>
    public void Build(string key, Func<TensorElementType, long, TensorBuilder.LoadedStorage> load, CheckpointSource source)
    {
        foreach (var group in _byKey[key].GroupBy(i => _entries[i].Value.Storage.ElementType))
        {
            using var scope = NewDisposeScope();
            var declared = group.Max(i => _entries[i].Value.Storage.DeclaredNumel);
            var storage = load(group.Key, declared);
            foreach (var i in group)
            {
                _built[i] = TensorBuilder.Build(_entries[i].Value, storage, _entries[i].Key, source).MoveToOuterDisposeScope();
            }
        }
    }

    /// <summary>Returns the tensors by name, detached from the dispose scope (the caller now owns them).</summary>
    /// <exception cref="CheckpointFormatException">A tensor's storage was never found in the file.</exception>
    public Dictionary<string, Tensor> Finish(CheckpointSource source)
    {
        var missing = Array.FindIndex(_built, t => t is null);
        if (missing >= 0)
        {
            throw source.Error(
                $"is truncated or corrupt: tensor '{_entries[missing].Key}' refers to storage " +
                $"'{_entries[missing].Value.Storage.Key}', which the file does not contain.");
        }

        var result = new Dictionary<string, Tensor>(_entries.Count, StringComparer.Ordinal);
        for (var i = 0; i < _entries.Count; i++)
        {
            result[_entries[i].Key] = _built[i]!.DetachFromDisposeScope();
        }

        return result;
    }
}
