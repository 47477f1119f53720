using System.Globalization;
using System.Text.RegularExpressions;
using SemanticManipulation.Checkpoints;
using static TorchSharp.torch;

namespace SemanticManipulation.Generators;

/// <summary>
/// Maps a checkpoint's entries onto the ProGAN layout: finds the generator's keys under any wrapper prefix
/// (<c>state_dict.</c>, <c>module.</c>, …), translates the older <c>features.i</c> / <c>output</c> names to
/// <c>layer{i+1}</c> / <c>output_RxR</c>, infers the architecture, and validates every key and shape.
/// </summary>
internal static partial class ProGanCheckpoint
{
    private const string CurrentFirstKey = "layer1.conv.weight";
    private const string LegacyFirstKey = "features.0.conv.weight";

    /// <summary>Resolution blocks <see cref="ProGanArchitecture"/> accepts (4² up to 8192²).</summary>
    private const int MaxBlocks = 12;

    /// <summary>The generator's entries under canonical names, and the architecture they describe.</summary>
    public sealed record Mapped(ProGanArchitecture Architecture, IReadOnlyDictionary<string, Tensor> Tensors, IReadOnlyList<string> IgnoredKeys);

    public static Mapped Map(StateDict state, bool clampOutput)
    {
        var display = Path.GetFileName(state.FilePath);
        var prefix = FindPrefix(state, display);
        var canonical = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        var ignored = new List<string>();
        var olderNames = false;
        foreach (var (key, tensor) in state.Tensors)
        {
            if (!key.StartsWith(prefix, StringComparison.Ordinal))
            {
                ignored.Add(key);
                continue;
            }

            var name = Canonicalize(key[prefix.Length..]);
            if (name is null || !canonical.TryAdd(name, tensor))
            {
                ignored.Add(key);
                continue;
            }

            olderNames |= LegacyFeatureKey().IsMatch(key[prefix.Length..]);
        }

        // Messages name a layer as the file spells it: state_dict.features.4 rather than layer5.
        string FileName(int layer) => olderNames ? $"{prefix}features.{layer - 1}" : $"{prefix}layer{layer}";
        var architecture = InferArchitecture(canonical, display, clampOutput, FileName);

        // Old files name the output block just "output"; now the resolution is known, give it its real name.
        foreach (var key in canonical.Keys.Where(k => k.StartsWith("output.", StringComparison.Ordinal)).ToList())
        {
            canonical[architecture.OutputLayerName + key["output".Length..]] = canonical[key];
            canonical.Remove(key);
        }

        CheckShapes(architecture, canonical, display);
        return new Mapped(architecture, canonical, ignored);
    }

    /// <summary>Copies the mapped tensors into the network, checking that every parameter is present with its shape.</summary>
    public static void LoadInto(ProGanNetwork network, IReadOnlyDictionary<string, Tensor> tensors, string display) =>
        StateDictCopier.CopyInto(network.named_parameters().Select(p => (p.name, (Tensor)p.parameter)), tensors, display);

    private static string FindPrefix(StateDict state, string display)
    {
        var prefixes = state.Tensors.Keys
            .Where(k => k.EndsWith(CurrentFirstKey, StringComparison.Ordinal) || k.EndsWith(LegacyFirstKey, StringComparison.Ordinal))
            .Select(k => k[..^(k.EndsWith(CurrentFirstKey, StringComparison.Ordinal) ? CurrentFirstKey.Length : LegacyFirstKey.Length)])
            .Where(p => p.Length == 0 || p.EndsWith('.'))
            .Distinct()
            .ToList();
        if (prefixes.Count == 0)
        {
            var sample = string.Join(", ", state.Tensors.Keys.Take(8).Select(k => $"'{CheckpointSource.Printable(k, 80)}'"));
            throw new CheckpointFormatException(
                $"{display} is not a ProGAN generator checkpoint: it has no '{CurrentFirstKey}' or '{LegacyFirstKey}' entry " +
                $"(it holds {state.Tensors.Count} tensors{(sample.Length > 0 ? ": " + sample + (state.Tensors.Count > 8 ? ", …" : "") : "")}).",
                display);
        }

        if (prefixes.Count > 1)
        {
            throw new CheckpointFormatException(
                $"{display} holds more than one generator (under {string.Join(", ", prefixes.Select(p => $"'{CheckpointSource.Printable(p, 80)}'"))}); " +
                "extract the one you want into its own file.", display);
        }

        return prefixes[0];
    }

    private static string? Canonicalize(string key)
    {
        var legacy = LegacyFeatureKey().Match(key);
        if (legacy.Success)
        {
            var index = int.Parse(legacy.Groups[1].Value, CultureInfo.InvariantCulture) + 1;
            return $"layer{index}.{legacy.Groups[2].Value}";
        }

        return CurrentKey().IsMatch(key) ? key : null;
    }

    private static ProGanArchitecture InferArchitecture(
        Dictionary<string, Tensor> tensors, string display, bool clampOutput, Func<int, string> fileName)
    {
        var count = 0;
        while (tensors.ContainsKey($"layer{count + 1}.conv.weight"))
        {
            count++;
        }

        // Counting stops at the first missing conv weight; entries of later layers mean that one was lost, not that the
        // generator is smaller (which would end in a confusing complaint about the output block of a smaller model).
        var last = tensors.Keys.Select(LayerIndex).DefaultIfEmpty(0).Max();
        if (last > count)
        {
            throw new CheckpointFormatException(
                $"{display}: the generator's layer sequence has a gap: key '{fileName(count + 1)}.conv.weight' is missing " +
                $"although the file holds layers up to {fileName(last)}; the checkpoint is incomplete, save the whole " +
                "generator's state_dict again.", display);
        }

        if (count > 2 * MaxBlocks)
        {
            throw new CheckpointFormatException(
                $"{display}: found conv weights for layer1 … layer{count}; at most {2 * MaxBlocks} layers " +
                $"(a {4 << (MaxBlocks - 1)}×{4 << (MaxBlocks - 1)} generator) are supported.", display);
        }

        if (count < 2 || count % 2 != 0)
        {
            throw new CheckpointFormatException(
                $"{display}: found conv weights for layer1 … layer{count}; a ProGAN generator has an even number of layers " +
                $"(missing key 'layer{count + 1}.conv.weight').", display);
        }

        var first = tensors["layer1.conv.weight"];
        if (first.dim() != 4 || first.shape[2] != 4 || first.shape[3] != 4 || !IsChannelCount(first.shape[0]) || !IsChannelCount(first.shape[1]))
        {
            throw new CheckpointFormatException(
                $"{display}: key 'layer1.conv.weight' has shape {CheckpointSource.Shape(first.shape)}, expected [C, Z, 4, 4].", display);
        }

        var channels = new List<int>();
        for (var block = 1; block <= count / 2; block++)
        {
            var key = $"layer{2 * block}.conv.weight";
            var weight = tensors[key];
            if (weight.dim() != 4 || !IsChannelCount(weight.shape[0]))
            {
                throw new CheckpointFormatException(
                    $"{display}: key '{key}' has shape {CheckpointSource.Shape(weight.shape)}, expected [C, C, 3, 3].", display);
            }

            channels.Add(checked((int)weight.shape[0]));
        }

        return new ProGanArchitecture(checked((int)first.shape[1]), channels, clampOutput);
    }

    /// <summary>A channel count the network can be built with (an empty tensor can claim any size, even 0 or 2⁴⁰).</summary>
    private static bool IsChannelCount(long channels) => channels is >= 1 and <= int.MaxValue;

    /// <summary>
    /// Refuses any generator tensor whose shape differs from what the inferred architecture needs, before the network
    /// is built: the architecture comes from a few shapes only, and a file that lies about the others could otherwise
    /// make it allocate (and initialise) gigabytes before the copy notices. The message is the copy's own.
    /// </summary>
    private static void CheckShapes(ProGanArchitecture architecture, Dictionary<string, Tensor> tensors, string display)
    {
        var expected = new List<(string Key, long[] Shape)>();
        for (var i = 1; i <= architecture.LayerCount; i++)
        {
            var kernel = i == 1 ? 4L : 3L;
            expected.Add(($"layer{i}.conv.weight", [architecture.OutputChannels(i), architecture.InputChannels(i), kernel, kernel]));
            expected.Add(($"layer{i}.wscale.b", [architecture.OutputChannels(i)]));
        }

        expected.Add(($"{architecture.OutputLayerName}.conv.weight", [3, architecture.BlockChannels[^1], 1, 1]));
        expected.Add(($"{architecture.OutputLayerName}.wscale.b", [3]));
        foreach (var (key, shape) in expected)
        {
            if (tensors.TryGetValue(key, out var tensor) && !tensor.shape.SequenceEqual(shape))
            {
                throw new CheckpointFormatException(
                    $"{display}: key '{key}' has shape {CheckpointSource.Shape(tensor.shape)}, expected {CheckpointSource.Shape(shape)}.", display);
            }
        }
    }

    /// <summary>N for a canonical <c>layerN.*</c> key, 0 for the output block.</summary>
    private static int LayerIndex(string canonicalKey)
    {
        var match = LayerKey().Match(canonicalKey);
        return match.Success && int.TryParse(match.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var index) ? index : 0;
    }

    [GeneratedRegex(@"^layer(\d+)\.", RegexOptions.CultureInvariant)]
    private static partial Regex LayerKey();

    [GeneratedRegex(@"^features\.(\d+)\.(conv\.weight|wscale\.b)$", RegexOptions.CultureInvariant)]
    private static partial Regex LegacyFeatureKey();

    [GeneratedRegex(@"^(layer\d+|output(_\d+x\d+)?)\.(conv\.weight|wscale\.b)$", RegexOptions.CultureInvariant)]
    private static partial Regex CurrentKey();
}
