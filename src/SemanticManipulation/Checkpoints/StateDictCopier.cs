using static TorchSharp.torch;

namespace SemanticManipulation.Checkpoints;

/// <summary>
/// Copies a checkpoint's tensors into a network's parameters and buffers by name, checking each one first: the
/// generator, encoder and segmenter loaders share it, so their errors name the key and both shapes the same way.
/// </summary>
internal static class StateDictCopier
{
    /// <summary>Copies <paramref name="sources"/> into <paramref name="targets"/> (converting the element type, e.g.
    /// float16 to float32).</summary>
    /// <param name="targets">The network's tensors by name (its <c>state_dict()</c> or <c>named_parameters()</c>).</param>
    /// <param name="sources">The checkpoint's tensors by the same names.</param>
    /// <param name="display">The checkpoint's name, which starts every message.</param>
    /// <param name="mayBeMissing">Names a checkpoint may lack (the target keeps its value); null: none.</param>
    /// <exception cref="CheckpointFormatException">A key is missing, has another shape, holds integers where the
    /// network has floating-point values, or holds NaN or infinite values.</exception>
    public static void CopyInto(IEnumerable<(string Name, Tensor Target)> targets, IReadOnlyDictionary<string, Tensor> sources,
        string display, Func<string, bool>? mayBeMissing = null)
    {
        using var noGrad = no_grad();
        foreach (var (key, target) in targets)
        {
            if (!sources.TryGetValue(key, out var source))
            {
                if (mayBeMissing?.Invoke(key) == true)
                {
                    continue;
                }

                throw new CheckpointFormatException($"{display}: missing key '{key}' (expected shape {CheckpointSource.Shape(target.shape)}).", display);
            }

            if (!source.shape.SequenceEqual(target.shape))
            {
                throw new CheckpointFormatException(
                    $"{display}: key '{key}' has shape {CheckpointSource.Shape(source.shape)}, expected {CheckpointSource.Shape(target.shape)}.", display);
            }

            if (target.is_floating_point() && !source.is_floating_point())
            {
                throw new CheckpointFormatException($"{display}: key '{key}' holds {source.dtype} values, expected floating point.", display);
            }

            // Caught here, a corrupt or diverged file names itself and the tensor, instead of surfacing as a NaN image
            // (or a NaN loss) far from the cause.
            if (source.is_floating_point() && NonFinite(source) is { } problem)
            {
                throw new CheckpointFormatException(
                    $"{display}: tensor '{key}' holds {problem}; the file is corrupt or the training diverged, " +
                    "re-download it or use an earlier checkpoint.", display);
            }

            target.copy_(source);
        }
    }

    /// <summary>"12 NaN values", "1 infinite value", "2 NaN and 3 infinite values", or null when every value is finite.</summary>
    internal static string? NonFinite(Tensor values)
    {
        using var scope = NewDisposeScope();
        if (values.isfinite().all().item<bool>())
        {
            return null;
        }

        var nan = values.isnan().sum().item<long>();
        var infinite = values.isinf().sum().item<long>();
        var counts = (nan > 0 ? $"{nan} NaN" : "") + (nan > 0 && infinite > 0 ? " and " : "") + (infinite > 0 ? $"{infinite} infinite" : "");
        return counts + (nan + infinite == 1 ? " value" : " values");
    }
}
