using System.Globalization;
using System.Text.RegularExpressions;
using SemanticManipulation.Checkpoints;
using SemanticManipulation.Generators;
using static TorchSharp.torch;

namespace SemanticManipulation.Inversion;

/// <summary>
/// Reads and writes hybrid encoder weights. Reads the authors' layout (keys <c>resnet.</c>, <c>inv4.</c> … <c>inv1.</c>,
/// possibly under <c>state_dict.</c> and <c>model.</c> or <c>module.</c> prefixes, next to optimizer state and
/// losses, which are ignored) and this SDK's safetensors files (the same keys, plus metadata naming the generator
/// they were made for). Refuses an encoder made for a generator of another size, naming both shapes.
/// </summary>
internal static partial class HybridEncoderCheckpoint
{
    private const string FormatKey = "format";
    private const string FormatValue = "semantic-manipulation.hybrid-encoder";
    private const string ResolutionKey = "resolution";
    private const string RepresentationKey = "representation";
    private const string LatentKey = "latent_size";
    private const string SplitKey = "split_layer";
    private const string EarlyShapesKey = "early_shapes";
    private const string AnchorKey = "resnet.conv1.weight";
    private const string HeadKey = "resnet.layer5.conv5.weight";

    /// <summary>What a checkpoint holds: its layout, weights under canonical names, and what was ignored.</summary>
    public sealed record Mapped(HybridEncoderLayout Layout, IReadOnlyDictionary<string, Tensor> Tensors, IReadOnlyList<string> IgnoredKeys, bool IsSdkFormat);

    /// <summary>Writes the network's weights and BatchNorm statistics, with metadata describing its generator.</summary>
    public static void Save(HybridEncoderNetwork network, string path, IReadOnlyDictionary<string, string>? extraMetadata = null)
    {
        var layout = network.Layout;
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [FormatKey] = FormatValue,
            [ResolutionKey] = layout.Resolution.ToString(CultureInfo.InvariantCulture),
            [RepresentationKey] = HybridEncoderLayout.FormatShape(layout.Representation),
            [LatentKey] = layout.LatentSize.ToString(CultureInfo.InvariantCulture),
            [SplitKey] = layout.SplitLayer,
            [EarlyShapesKey] = layout.EarlyShapesText,
        };
        foreach (var (key, value) in extraMetadata ?? new Dictionary<string, string>())
        {
            metadata[key] = value;
        }

        SafeTensorsWriter.Write(path, network.state_dict(), metadata);
    }

    /// <summary>Maps a checkpoint onto the layout <paramref name="generator"/> needs, checking that it was made for it.</summary>
    /// <exception cref="CheckpointFormatException">No encoder in the file, or one for another generator (both shapes
    /// named), or a key missing or of the wrong shape.</exception>
    public static Mapped Map(StateDict state, ILayerSplitGenerator generator, EarlyLayers early)
    {
        var display = Path.GetFileName(state.FilePath);
        var anchor = state.Tensors.Keys.FirstOrDefault(k => k == AnchorKey || k.EndsWith("." + AnchorKey, StringComparison.Ordinal))
            ?? throw new CheckpointFormatException(
                $"{display} holds no hybrid encoder: no '{AnchorKey}' entry (under any prefix such as 'state_dict.model.').", display);
        var prefix = anchor[..^AnchorKey.Length];
        var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        var ignored = new List<string>();
        foreach (var (key, value) in state.Tensors)
        {
            if (key.StartsWith(prefix, StringComparison.Ordinal)
                && (key.AsSpan(prefix.Length).StartsWith("resnet.") || InverterKey().IsMatch(key[prefix.Length..])))
            {
                tensors[key[prefix.Length..]] = value;
            }
            else
            {
                ignored.Add(key);
            }
        }

        var isSdkFormat = state.Metadata.TryGetValue(FormatKey, out var format) && format == FormatValue;
        var trunkWidth = (int)tensors[AnchorKey].shape[0];
        var trunkBlocks = Enumerable.Range(1, 4)
            .Select(stage => tensors.Keys
                .Select(k => TrunkBlockKey().Match(k))
                .Where(m => m.Success && m.Groups[1].Value == stage.ToString(CultureInfo.InvariantCulture))
                .Select(m => int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture) + 1)
                .DefaultIfEmpty(0)
                .Max())
            .ToArray();
        if (trunkBlocks.Any(b => b == 0))
        {
            throw new CheckpointFormatException($"{display}: the encoder's trunk lacks a stage (blocks per stage: {string.Join(", ", trunkBlocks)}).", display);
        }

        CheckMadeFor(state, tensors, generator, early, display, isSdkFormat);
        var layout = HybridEncoderLayout.For(generator.Resolution, generator.LatentSize, generator.SplitLayer, early, trunkWidth, trunkBlocks);
        return new Mapped(layout, tensors, ignored, isSdkFormat);
    }

    /// <summary>Copies mapped tensors into the network: every parameter and BatchNorm statistic must be present with its
    /// shape (a missing <c>num_batches_tracked</c>, which old PyTorch did not write, is allowed).</summary>
    public static void LoadInto(HybridEncoderNetwork network, IReadOnlyDictionary<string, Tensor> tensors, string display) =>
        StateDictCopier.CopyInto(network.state_dict().Select(p => (p.Key, p.Value)), tensors, display,
            mayBeMissing: key => key.EndsWith(".num_batches_tracked", StringComparison.Ordinal));

    /// <summary>
    /// Refuses an encoder made for another generator, naming what it predicts and what this generator has: r's
    /// channels (and full shape, from this SDK's metadata), the number of early layers it inverts, and z's length.
    /// </summary>
    private static void CheckMadeFor(StateDict state, Dictionary<string, Tensor> tensors, ILayerSplitGenerator generator,
        EarlyLayers early, string display, bool isSdkFormat)
    {
        if (!tensors.TryGetValue(HeadKey, out var head) || head.dim() != 4)
        {
            throw new CheckpointFormatException($"{display}: the encoder has no '{HeadKey}' (the trunk's 1×1 conv to r).", display);
        }

        var channels = head.shape[0];
        var inverterCount = tensors.Keys.Select(k => InverterKey().Match(k)).Where(m => m.Success)
            .Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).DefaultIfEmpty(0).Max();
        var latent = tensors.TryGetValue("inv1.conv2.weight", out var last) ? last.shape[0] : 0;
        var representation = generator.RepresentationShape;
        string? encoderShape = null;
        var resolutionDiffers = false;
        if (isSdkFormat)
        {
            state.Metadata.TryGetValue(RepresentationKey, out encoderShape);
            resolutionDiffers = state.Metadata.TryGetValue(ResolutionKey, out var resolution)
                && resolution != generator.Resolution.ToString(CultureInfo.InvariantCulture);
        }

        var fits = channels == representation.Channels && inverterCount == early.Names.Count && latent == generator.LatentSize
            && !resolutionDiffers && (encoderShape is null || encoderShape == HybridEncoderLayout.FormatShape(representation));
        if (!fits)
        {
            var encoderR = encoderShape is not null ? $"r of shape {encoderShape.Replace('x', '×')}" : $"r with {channels} channels";
            var encoderResolution = isSdkFormat && state.Metadata.TryGetValue(ResolutionKey, out var r) ? $" from {r}×{r} images" : "";
            throw new CheckpointFormatException(
                $"{display} is an encoder for another generator: it predicts {encoderR}{encoderResolution}, inverts {inverterCount} early " +
                $"layers and yields z of length {latent}; this generator's r at {generator.SplitLayer} has shape {representation} " +
                $"for {generator.Resolution}×{generator.Resolution} images, with {early.Names.Count} early layers and z of length {generator.LatentSize}.",
                display);
        }
    }

    [GeneratedRegex(@"^inv(\d+)\.")]
    private static partial Regex InverterKey();

    [GeneratedRegex(@"^resnet\.layer(\d)\.(\d+)\.")]
    private static partial Regex TrunkBlockKey();
}
