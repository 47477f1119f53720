using static TorchSharp.torch;

namespace SemanticManipulation.Adaptation;

/// <summary>Copies a saved state into live tensors, checking every key, shape and value.</summary>
internal static class PerturbationState
{
    public static void CopyInto(IEnumerable<(string Name, Tensor Target)> targets, IReadOnlyDictionary<string, Tensor> state)
    {
        using var noGrad = no_grad();
        foreach (var (name, target) in targets)
        {
            if (!state.TryGetValue(name, out var source))
            {
                throw new ArgumentException($"The saved perturbation has no '{name}' (expected shape [{string.Join(", ", target.shape)}]).");
            }

            if (!source.shape.SequenceEqual(target.shape))
            {
                throw new ArgumentException(
                    $"The saved perturbation's '{name}' has shape [{string.Join(", ", source.shape)}], expected [{string.Join(", ", target.shape)}].");
            }

            if (source.is_floating_point() && Checkpoints.StateDictCopier.NonFinite(source) is { } problem)
            {
                throw new ArgumentException($"The saved perturbation's '{name}' holds {problem}; the state is corrupt or its fit diverged.");
            }

            target.copy_(source);
        }
    }
}
