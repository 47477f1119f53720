namespace SemanticManipulation.FeatureLosses;

/// <summary>
/// Reads the mean image out of the featurizer's preprocessing graph (<c>ResNetPreprocess.onnx</c>): it splits the
/// RGB input into channels, concatenates them as BGR, and subtracts a <c>[1, 3, 224, 224]</c> mean image. The graph's
/// structure is checked, so that a different preprocessing is refused rather than silently misapplied.
/// </summary>
internal static class OnnxMeanImageImporter
{
    /// <returns>The BGR mean image on the 0–255 scale.</returns>
    /// <exception cref="InvalidDataException">The graph is not RGB → BGR minus a mean image.</exception>
    public static OnnxInitializer Import(OnnxGraph graph, string display)
    {
        var subtract = graph.Nodes.Where(n => n.OpType == "Sub").ToList();
        if (subtract.Count != 1 || !graph.Initializers.TryGetValue(subtract[0].Inputs[1], out var mean))
        {
            throw Error(display, "expected one subtraction of a stored mean image");
        }

        var concat = graph.Nodes.SingleOrDefault(n => n.OpType == "Concat" && n.Outputs.Contains(subtract[0].Inputs[0]));
        var split = graph.Nodes.SingleOrDefault(n => n.OpType == "Split");
        if (concat is null || split is null || split.Inputs[0] != graph.Inputs.SingleOrDefault()
            || split.Int("axis", 0) != 1 || concat.Int("axis", 0) != 1
            || !concat.Inputs.SequenceEqual(split.Outputs.Reverse()))
        {
            throw Error(display, "expected the input's channels to be reversed (RGB to BGR) before the subtraction");
        }

        if (mean.Dims.Count != 4 || mean.Dims[0] != 1 || mean.Dims[1] != 3)
        {
            throw Error(display, $"the mean image has shape [{string.Join(", ", mean.Dims)}], expected [1, 3, H, W]");
        }

        return mean;
    }

    private static InvalidDataException Error(string display, string what) =>
        new($"{display} is not the ResNet preprocessing this SDK understands: {what}.");
}
