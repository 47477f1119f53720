namespace SemanticManipulation.FeatureLosses;

/// <summary>One operator of an ONNX graph: its type, the tensors it reads and writes, and its attributes.</summary>
internal sealed record OnnxNode(
    string OpType,
    IReadOnlyList<string> Inputs,
    IReadOnlyList<string> Outputs,
    IReadOnlyDictionary<string, OnnxAttribute> Attributes)
{
    /// <summary>An integer-list attribute (e.g. <c>strides</c>), or <paramref name="fallback"/> when absent.</summary>
    public IReadOnlyList<long> Ints(string name, IReadOnlyList<long> fallback) =>
        Attributes.TryGetValue(name, out var attribute) && attribute.Ints.Count > 0 ? attribute.Ints : fallback;

    /// <summary>A float attribute (e.g. <c>epsilon</c>), or <paramref name="fallback"/> when absent.</summary>
    public float Float(string name, float fallback) =>
        Attributes.TryGetValue(name, out var attribute) && attribute.Float is float value ? value : fallback;

    /// <summary>An integer attribute (e.g. <c>axis</c>), or <paramref name="fallback"/> when absent.</summary>
    public long Int(string name, long fallback) =>
        Attributes.TryGetValue(name, out var attribute) && attribute.Int is long value ? value : fallback;
}
