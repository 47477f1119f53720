namespace SemanticManipulation.Checkpoints;

/// <summary>
/// An object this reader does not reconstruct: the result of calling or instantiating an allowed global it does not
/// need (a device, a dtype, a tensor kind it cannot read), or of calling something that is not a global at all. It is
/// never executed; it only records what it was.
/// </summary>
internal sealed class PickleObject(PickleGlobal? type)
{
    /// <summary>The global it was built from, or null when the callable was not a global.</summary>
    public PickleGlobal? Type { get; } = type;

    /// <summary>True when PyTorch uses such a call to rebuild a tensor (a kind this reader does not support).</summary>
    public bool IsTensorLike =>
        Type is { } t && t.Module.StartsWith("torch", StringComparison.Ordinal) && t.Name.StartsWith("_rebuild", StringComparison.Ordinal);

    public override string ToString() => Type?.ToString() ?? "an object built by a non-global callable";
}
