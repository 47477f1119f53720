using System.Globalization;

namespace SemanticManipulation.Inversion;

/// <summary>
/// The hybrid encoder's shape for one generator: a ResNet trunk whose strides bring the image down to the split
/// layer's grid, a 1×1 conv to its channels, and one inverter per early layer back to z.
/// </summary>
/// <remarks>
/// The authors' trunk (ResNet-18 at 256² for an 8×8 split) halves the resolution five times: stem conv, max-pool, and
/// the first block of stages 2–4. Their 128² variant drops the max-pool's stride ("halfsize"). Generalising that, the
/// trunk drops strides in the order max-pool, stem conv, stage 2, stage 3, stage 4 until the image-to-split ratio
/// fits, so each stage runs at the same multiple of the split grid as theirs; ratios above 32 first average-pool
/// the image.
/// </remarks>
internal sealed record HybridEncoderLayout
{
    private HybridEncoderLayout(int resolution, int latentSize, string splitLayer, EarlyLayers early, int trunkWidth,
        IReadOnlyList<int> trunkBlocks)
    {
        Resolution = resolution;
        LatentSize = latentSize;
        SplitLayer = splitLayer;
        Early = early;
        TrunkWidth = trunkWidth;
        TrunkBlocks = trunkBlocks.ToArray();
        Representation = early.Shapes[^1];
        if (Representation.Height != Representation.Width || resolution % Representation.Height != 0
            || !IsPowerOfTwo(resolution / Representation.Height))
        {
            throw new NotSupportedException(
                $"The hybrid encoder needs a square split layer whose side divides the image by a power of two; " +
                $"{splitLayer} is {Representation} for {resolution}×{resolution} images.");
        }

        var ratio = resolution / Representation.Height;
        InputPool = Math.Max(1, ratio / 32);
        var halvings = (int)Math.Log2(ratio / InputPool);
        // Strides kept: the last `halvings` of [max-pool, stem conv, stage 2, stage 3, stage 4].
        var strides = Enumerable.Range(0, 5).Select(i => i >= 5 - halvings ? 2 : 1).ToArray();
        MaxPoolStride = strides[0];
        StemStride = strides[1];
        StageStrides = [1, strides[2], strides[3], strides[4]];
        Inverters = BuildInverters(early, latentSize);
    }

    public int Resolution { get; }

    public int LatentSize { get; }

    public string SplitLayer { get; }

    public EarlyLayers Early { get; }

    public FeatureShape Representation { get; }

    public int TrunkWidth { get; }

    public IReadOnlyList<int> TrunkBlocks { get; }

    /// <summary>Channels of each trunk stage: width × 1, 2, 4, 8.</summary>
    public IReadOnlyList<int> StageChannels => [TrunkWidth, TrunkWidth * 2, TrunkWidth * 4, TrunkWidth * 8];

    /// <summary>Average-pooling factor applied to the image before the trunk (1: none).</summary>
    public int InputPool { get; }

    public int StemStride { get; }

    public int MaxPoolStride { get; }

    public IReadOnlyList<int> StageStrides { get; }

    /// <summary>The inverters in the order the encoder runs them: from the split layer's down to <c>inv1</c>.</summary>
    public IReadOnlyList<InverterSpec> Inverters { get; }

    /// <summary>The layout for <paramref name="generator"/>.</summary>
    /// <exception cref="NotSupportedException">The generator's geometry cannot be inverted this way; the message says why.</exception>
    public static HybridEncoderLayout For(ILayerSplitGenerator generator, int trunkWidth, IReadOnlyList<int> trunkBlocks) =>
        For(generator.Resolution, generator.LatentSize, generator.SplitLayer, EarlyLayers.Probe(generator), trunkWidth, trunkBlocks);

    public static HybridEncoderLayout For(int resolution, int latentSize, string splitLayer, EarlyLayers early, int trunkWidth,
        IReadOnlyList<int> trunkBlocks) =>
        new(resolution, latentSize, splitLayer, early, trunkWidth, trunkBlocks);

    /// <summary>Describes the early layers' shapes, e.g. <c>512x4x4,512x4x4,512x8x8,512x8x8</c>.</summary>
    public string EarlyShapesText => string.Join(",", Early.Shapes.Select(FormatShape));

    public static string FormatShape(FeatureShape shape) =>
        string.Create(CultureInfo.InvariantCulture, $"{shape.Channels}x{shape.Height}x{shape.Width}");

    private static InverterSpec[] BuildInverters(EarlyLayers early, int latentSize)
    {
        var specs = new List<InverterSpec>();
        for (var i = early.Names.Count; i >= 1; i--)
        {
            var input = early.Shapes[i - 1];
            var name = string.Create(CultureInfo.InvariantCulture, $"inv{i}");
            if (i == 1)
            {
                if (input.Height != input.Width)
                {
                    throw new NotSupportedException($"The first early layer's output must be square to invert to z; it is {input}.");
                }

                specs.Add(new InverterSpec(name, early.Names[0], input, new FeatureShape(latentSize, 1, 1), 1, HasConv3: false));
                continue;
            }

            var output = early.Shapes[i - 2];
            if (input.Height % output.Height != 0 || input.Width % output.Width != 0
                || input.Height / output.Height != input.Width / output.Width)
            {
                throw new NotSupportedException(
                    $"Early layer '{early.Names[i - 1]}' maps {output} to {input}; the inverter needs an integer up-sampling.");
            }

            var stride = input.Height / output.Height;
            // The authors' inv2 (layer2 → layer1, both 4×4) has no final 1×1 conv; every other inverter has one.
            specs.Add(new InverterSpec(name, early.Names[i - 1], input, output, stride, HasConv3: !(i == 2 && stride == 1)));
        }

        return [.. specs];
    }

    private static bool IsPowerOfTwo(int value) => value > 0 && (value & (value - 1)) == 0;
}
