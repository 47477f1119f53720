namespace SemanticManipulation.Checkpoints;

// The Python values a checkpoint pickle can build: None -> null, bool, int -> long (BigInteger when huge),
// float -> double, str -> string, bytes -> byte[], list -> List<object?>. Tuples, dicts and sets get their own
// classes because their semantics (ordering, identity shared through the memo) matter to how the state dict is walked.

/// <summary>A Python tuple.</summary>
internal sealed class PickleTuple(IReadOnlyList<object?> items)
{
    public static readonly PickleTuple Empty = new([]);

    public IReadOnlyList<object?> Items { get; } = items;

    public int Count => Items.Count;

    public object? this[int index] => Items[index];
}
