namespace SemanticManipulation.FeatureLosses;

/// <summary>The parts of an ONNX model's graph the importers use: operators in file order, weights, inputs, outputs.</summary>
internal sealed class OnnxGraph
{
    private readonly Dictionary<string, List<OnnxNode>> _consumers = new(StringComparer.Ordinal);

    public OnnxGraph(string producer, IReadOnlyList<OnnxNode> nodes, IReadOnlyDictionary<string, OnnxInitializer> initializers,
        IReadOnlyList<string> inputs, IReadOnlyList<string> outputs)
    {
        Producer = producer;
        Nodes = nodes;
        Initializers = initializers;
        Inputs = inputs;
        Outputs = outputs;
        foreach (var node in nodes)
        {
            foreach (var input in node.Inputs)
            {
                if (!_consumers.TryGetValue(input, out var list))
                {
                    _consumers[input] = list = [];
                }

                list.Add(node);
            }
        }
    }

    /// <summary>The tool that wrote the model (e.g. <c>CNTK</c>).</summary>
    public string Producer { get; }

    public IReadOnlyList<OnnxNode> Nodes { get; }

    public IReadOnlyDictionary<string, OnnxInitializer> Initializers { get; }

    /// <summary>Graph inputs that are not initializers: the data the model is fed.</summary>
    public IReadOnlyList<string> Inputs { get; }

    public IReadOnlyList<string> Outputs { get; }

    /// <summary>The operators that read <paramref name="tensor"/>, in file order.</summary>
    public IReadOnlyList<OnnxNode> ConsumersOf(string tensor) =>
        _consumers.TryGetValue(tensor, out var list) ? list : [];
}
