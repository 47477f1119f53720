namespace SemanticManipulation.Checkpoints;

/// <summary>A Python set or frozenset; only kept so that pickles containing one parse.</summary>
internal sealed class PickleSet
{
    public List<object?> Items { get; } = [];
}
