using static TorchSharp.torch;

namespace SemanticManipulation.Adaptation;

/// <summary>Copies a saved state into a perturbation, checking every key, shape and value (TorchSharp's own
/// <c>load_state_dict</c> checks keys only, and its messages name no file).</summary>
internal static class PerturbationState
{
    /// <summary>Copies <paramref name="state"/> into <paramref name="perturbation"/>'s parameters and persistent buffers.</summary>
    /// <exception cref="ArgumentException">A key is missing, has another shape, or holds NaN or infinity; the message names it.</exception>
    public static void CopyInto(Perturbation perturbation, IReadOnlyDictionary<string, Tensor> state)
    {
        using var noGrad = no_grad();
        foreach (var (name, target) in perturbation.state_dict())
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
