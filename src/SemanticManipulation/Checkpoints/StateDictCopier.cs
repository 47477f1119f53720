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
    /// <exception cref="CheckpointFormatException">A key is missing, has another shape, or holds integers where the
    /// network has floating-point values.</exception>
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

            target.copy_(source);
        }
    }
}
