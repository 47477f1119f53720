using System.Globalization;

namespace SemanticManipulation.FeatureLosses;

/// <summary>
/// Reads a ResNet's weights out of an ONNX graph by following its structure, not its tensor names (exporters such as
/// CNTK name weights <c>Parameter91</c> …): stem conv → BatchNorm → ReLU → max-pool, then basic blocks (conv → BN →
/// ReLU → conv → BN → add shortcut → ReLU), grouped into stages where the resolution or width changes. Each weight
/// is given its torchvision name (<c>layer2.0.downsample.0.weight</c> …) for <see cref="ResNetBackbone"/>.
/// </summary>
internal static class OnnxResNetImporter
{
    private const double BatchNormEpsilon = 1e-5;

    /// <summary>The network's layout and its weights by torchvision key.</summary>
    public sealed record Imported(
        int StemChannels,
        IReadOnlyList<int> StageChannels,
        IReadOnlyList<int> StageBlocks,
        IReadOnlyDictionary<string, OnnxInitializer> Weights);

    /// <exception cref="InvalidDataException">The graph is not a ResNet of basic blocks as described; the message says
    /// where it departs.</exception>
    public static Imported Import(OnnxGraph graph, string display)
    {
        var weights = new Dictionary<string, OnnxInitializer>(StringComparer.Ordinal);
        if (graph.Inputs.Count != 1)
        {
            throw Error(display, $"expected one data input, found {graph.Inputs.Count}");
        }

        var stem = Single(graph, graph.Inputs[0], "Conv", display);
        ExpectConv(stem, kernel: 7, stride: 2, display);
        var stemNorm = Single(graph, stem.Outputs[0], "BatchNormalization", display);
        AddConv(weights, "conv1", stem, graph, display);
        AddNorm(weights, "bn1", stemNorm, graph, display);
        var stemRelu = Single(graph, stemNorm.Outputs[0], "Relu", display);
        var pool = Single(graph, stemRelu.Outputs[0], "MaxPool", display);
        if (pool.Ints("kernel_shape", []).Any(k => k != 3) || pool.Ints("strides", []).Any(s => s != 2) || Pads(pool).Any(p => p != 1))
        {
            throw Error(display, "the stem's max-pool is not 3×3 with stride 2 and padding 1");
        }

        var stemChannels = checked((int)Weight(stem, graph, display).Dims[0]);
        var channels = new List<int>();
        var blocks = new List<int>();
        var current = pool.Outputs[0];
        var width = stemChannels;
        while (true)
        {
            var convs = graph.ConsumersOf(current).Where(n => n.OpType == "Conv").ToList();
            if (convs.Count == 0)
            {
                break;
            }

            var main = convs.SingleOrDefault(c => Kernel(c) == 3)
                ?? throw Error(display, $"block {channels.Count + 1}.{blocks.LastOrDefault()}: no 3×3 conv reads '{current}'");
            var projection = convs.SingleOrDefault(c => Kernel(c) == 1);
            var stride = (int)main.Ints("strides", [1])[0];
            var output = checked((int)Weight(main, graph, display).Dims[0]);
            if (channels.Count == 0 || stride != 1 || output != width)
            {
                if (channels.Count > 0 && stride != 2)
                {
                    throw Error(display, $"stage {channels.Count + 1} starts with stride {stride}; only stride 2 is supported");
                }

                if (channels.Count == 0 && stride != 1)
                {
                    throw Error(display, "the first stage must not stride");
                }

                channels.Add(output);
                blocks.Add(0);
            }

            var prefix = string.Create(CultureInfo.InvariantCulture, $"layer{channels.Count}.{blocks[^1]}");
            ExpectConv(main, kernel: 3, stride, display);
            var norm1 = Single(graph, main.Outputs[0], "BatchNormalization", display);
            var relu1 = Single(graph, norm1.Outputs[0], "Relu", display);
            var conv2 = Single(graph, relu1.Outputs[0], "Conv", display);
            ExpectConv(conv2, kernel: 3, stride: 1, display);
            var norm2 = Single(graph, conv2.Outputs[0], "BatchNormalization", display);
            var add = Single(graph, norm2.Outputs[0], "Add", display);
            var shortcut = add.Inputs.Single(i => i != norm2.Outputs[0]);
            AddConv(weights, prefix + ".conv1", main, graph, display);
            AddNorm(weights, prefix + ".bn1", norm1, graph, display);
            AddConv(weights, prefix + ".conv2", conv2, graph, display);
            AddNorm(weights, prefix + ".bn2", norm2, graph, display);
            if (projection is not null)
            {
                ExpectConv(projection, kernel: 1, stride, display);
                var projectionNorm = Single(graph, projection.Outputs[0], "BatchNormalization", display);
                if (shortcut != projectionNorm.Outputs[0])
                {
                    throw Error(display, $"{prefix}: the projection shortcut does not feed the block's sum");
                }

                AddConv(weights, prefix + ".downsample.0", projection, graph, display);
                AddNorm(weights, prefix + ".downsample.1", projectionNorm, graph, display);
            }
            else if (shortcut != current || output != width)
            {
                throw Error(display, $"{prefix}: the block changes shape but has no projection shortcut");
            }

            current = Single(graph, add.Outputs[0], "Relu", display).Outputs[0];
            width = output;
            blocks[^1]++;
        }

        if (channels.Count == 0)
        {
            throw Error(display, "no residual blocks follow the stem");
        }

        return new Imported(stemChannels, channels, blocks, weights);
    }

    private static void AddConv(Dictionary<string, OnnxInitializer> weights, string key, OnnxNode conv, OnnxGraph graph, string display)
    {
        if (conv.Inputs.Count > 2)
        {
            throw Error(display, $"{key} has a bias; ResNet convs have none");
        }

        weights[key + ".weight"] = Weight(conv, graph, display);
    }

    private static void AddNorm(Dictionary<string, OnnxInitializer> weights, string key, OnnxNode norm, OnnxGraph graph, string display)
    {
        var epsilon = norm.Float("epsilon", 1e-5f);
        if (Math.Abs(epsilon - BatchNormEpsilon) > 1e-9)
        {
            throw Error(display, $"{key} uses BatchNorm epsilon {epsilon}; only 1e-5 is supported");
        }

        string[] parts = ["weight", "bias", "running_mean", "running_var"];
        for (var i = 0; i < parts.Length; i++)
        {
            weights[$"{key}.{parts[i]}"] = Initializer(norm.Inputs[i + 1], graph, display);
        }
    }

    private static OnnxInitializer Weight(OnnxNode conv, OnnxGraph graph, string display) => Initializer(conv.Inputs[1], graph, display);

    private static OnnxInitializer Initializer(string name, OnnxGraph graph, string display) =>
        graph.Initializers.TryGetValue(name, out var value) ? value : throw Error(display, $"'{name}' is not a weight stored in the file");

    private static void ExpectConv(OnnxNode conv, int kernel, int stride, string display)
    {
        var pads = Pads(conv);
        if (Kernel(conv) != kernel || conv.Ints("strides", [1, 1]).Any(s => s != stride) || pads.Any(p => p != kernel / 2)
            || conv.Int("group", 1) != 1 || conv.Ints("dilations", [1, 1]).Any(d => d != 1))
        {
            throw Error(display, $"conv '{conv.Outputs[0]}' is not a plain {kernel}×{kernel} conv with stride {stride} and padding {kernel / 2}");
        }
    }

    private static long Kernel(OnnxNode conv) => conv.Ints("kernel_shape", [0])[0];

    /// <summary>
    /// The leading pads (top, left). Exporters such as CNTK write smaller trailing pads on strided layers; on even
    /// input sizes (all of this SDK's) they select the same windows as PyTorch's symmetric padding.
    /// </summary>
    private static IEnumerable<long> Pads(OnnxNode node)
    {
        var pads = node.Ints("pads", [0, 0, 0, 0]);
        return pads.Take(pads.Count / 2);
    }

    private static OnnxNode Single(OnnxGraph graph, string tensor, string opType, string display)
    {
        var consumers = graph.ConsumersOf(tensor).Where(n => n.OpType == opType).ToList();
        return consumers.Count == 1
            ? consumers[0]
            : throw Error(display, $"expected one {opType} reading '{tensor}', found {consumers.Count}");
    }

    private static InvalidDataException Error(string display, string what) =>
        new($"{display} is not a ResNet this SDK can import: {what}.");
}
