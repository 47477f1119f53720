namespace SemanticManipulation.Generators;

/// <summary>
/// The shape of a Progressive GAN generator as the authors' <c>proggan.py</c> defines it: a latent of
/// <see cref="LatentSize"/>, then two conv layers per resolution block (4², 8², …) with the given channel widths,
/// then a 1×1 output conv to RGB.
/// </summary>
public sealed record ProGanArchitecture
{
    /// <summary>Creates an architecture.</summary>
    /// <param name="latentSize">Length of z.</param>
    /// <param name="blockChannels">Channels of each resolution block, from 4×4 upwards (at least one block).</param>
    /// <param name="clampOutput">Clamp the output to [-1, 1] (a Hardtanh, as some variants do).</param>
    public ProGanArchitecture(int latentSize, IReadOnlyList<int> blockChannels, bool clampOutput = false)
    {
        ArgumentNullException.ThrowIfNull(blockChannels);
        ArgumentOutOfRangeException.ThrowIfLessThan(latentSize, 1);
        if (blockChannels.Count is < 1 or > 12 || blockChannels.Any(c => c < 1))
        {
            throw new ArgumentException("Need 1 to 12 resolution blocks, each with at least one channel.", nameof(blockChannels));
        }

        LatentSize = latentSize;
        BlockChannels = blockChannels.ToArray();
        ClampOutput = clampOutput;
    }

    /// <summary>The authors' LSUN 256×256 layout (church, bedroom, kitchen, …): about 18.3 M parameters.</summary>
    public static ProGanArchitecture Lsun256 { get; } = new(512, [512, 512, 512, 256, 128, 64, 32]);

    /// <summary>Length of z.</summary>
    public int LatentSize { get; }

    /// <summary>Channels of each resolution block, from 4×4 upwards.</summary>
    public IReadOnlyList<int> BlockChannels { get; }

    /// <summary>Whether the output is clamped to [-1, 1].</summary>
    public bool ClampOutput { get; }

    /// <summary>Side of the generated images.</summary>
    public int Resolution => 4 << (BlockChannels.Count - 1);

    /// <summary>Number of conv layers before the output block (<c>layer1 … layerN</c>).</summary>
    public int LayerCount => 2 * BlockChannels.Count;

    /// <summary>Name of the output block, <c>output_RxR</c>.</summary>
    public string OutputLayerName => $"output_{Resolution}x{Resolution}";

    /// <summary>Layer names in forward order, including the output block.</summary>
    public IReadOnlyList<string> LayerNames =>
        [.. Enumerable.Range(1, LayerCount).Select(i => $"layer{i}"), OutputLayerName];

    /// <summary>Input channels of layer <paramref name="index"/> (1-based).</summary>
    public int InputChannels(int index) =>
        index == 1 ? LatentSize : BlockChannels[(index - 2) / 2];

    /// <summary>Output channels of layer <paramref name="index"/> (1-based).</summary>
    public int OutputChannels(int index) => BlockChannels[(index - 1) / 2];

    /// <summary>Spatial side of layer <paramref name="index"/>'s output (1-based).</summary>
    public int OutputSide(int index)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(index, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(index, LayerCount);
        return 4 << ((index - 1) / 2);
    }

    /// <summary>The output shape of a named layer.</summary>
    /// <exception cref="ArgumentException">No layer has that name.</exception>
    public FeatureShape ShapeOf(string layerName)
    {
        if (layerName == OutputLayerName)
        {
            return new FeatureShape(3, Resolution, Resolution);
        }

        var index = IndexOf(layerName);
        return new FeatureShape(OutputChannels(index), OutputSide(index), OutputSide(index));
    }

    /// <summary>The 1-based index of <c>layerN</c>.</summary>
    /// <exception cref="ArgumentException">No conv layer has that name.</exception>
    public int IndexOf(string layerName)
    {
        ArgumentNullException.ThrowIfNull(layerName);
        if (layerName.StartsWith("layer", StringComparison.Ordinal)
            && int.TryParse(layerName.AsSpan(5), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var index)
            && index >= 1 && index <= LayerCount)
        {
            return index;
        }

        throw new ArgumentException(
            $"No layer '{layerName}' in a {Resolution}×{Resolution} generator; its layers are layer1 … layer{LayerCount}.",
            nameof(layerName));
    }

    /// <summary>Number of weights and biases.</summary>
    public long ParameterCount
    {
        get
        {
            long count = 0;
            for (var i = 1; i <= LayerCount; i++)
            {
                var k = i == 1 ? 4 : 3;
                count += ((long)InputChannels(i) * OutputChannels(i) * k * k) + OutputChannels(i);
            }

            return count + (BlockChannels[^1] * 3L) + 3;
        }
    }

    /// <inheritdoc />
    public bool Equals(ProGanArchitecture? other) =>
        other is not null && LatentSize == other.LatentSize && ClampOutput == other.ClampOutput
        && BlockChannels.SequenceEqual(other.BlockChannels);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(LatentSize, ClampOutput, Resolution, BlockChannels[0]);

    /// <inheritdoc />
    public override string ToString() =>
        $"ProGAN {Resolution}×{Resolution}, z={LatentSize}, channels [{string.Join(", ", BlockChannels)}]{(ClampOutput ? ", clamped" : "")}";
}
