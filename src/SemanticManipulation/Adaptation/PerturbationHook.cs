using SemanticManipulation.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace SemanticManipulation.Adaptation;

/// <summary>Builds the G_F hook that applies δ at the perturbation points.</summary>
internal static class PerturbationHook
{
    /// <summary>
    /// A hook applying <paramref name="deltas"/> (<c>h·(1+δ)</c> or <c>h+δ</c>). With <paramref name="suppressMask"/>
    /// (<c>[1, 1, R, R]</c>), δ is scaled by <c>1 − mask</c> resized to each point, so the edited region renders with
    /// the plain generator (the interactive preview).
    /// </summary>
    public static LayerHook Create(IReadOnlyDictionary<string, Tensor> deltas, PerturbationMode mode, Tensor? suppressMask = null) =>
        (name, h) =>
        {
            if (!deltas.TryGetValue(name, out var delta))
            {
                return h;
            }

            if (suppressMask is not null)
            {
                var cells = nn.functional.adaptive_avg_pool2d(suppressMask, [h.shape[2], h.shape[3]]);
                delta = delta * (1 - cells);
            }

            // h·(1 + δ) as h + h·δ: one pass instead of two.
            return mode == PerturbationMode.Multiplicative ? h.addcmul(h, delta, HeldScalars.One) : h + delta;
        };
}
