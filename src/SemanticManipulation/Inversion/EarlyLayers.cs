using TorchSharp;
using static TorchSharp.torch;

namespace SemanticManipulation.Inversion;

/// <summary>
/// The layers of G_H in forward order (ending with the split layer) and the shape of each one's output, found by
/// running the generator once with a hook: this works for any <see cref="ILayerSplitGenerator"/>, whatever its layout.
/// </summary>
internal sealed record EarlyLayers(IReadOnlyList<string> Names, IReadOnlyList<FeatureShape> Shapes)
{
    /// <summary>Index of <paramref name="layer"/> among the early layers, or -1.</summary>
    public int IndexOf(string layer)
    {
        for (var i = 0; i < Names.Count; i++)
        {
            if (Names[i] == layer)
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Probes <paramref name="generator"/>'s early layers with one forward pass of a zero latent.</summary>
    /// <exception cref="NotSupportedException">The early layers' outputs are not <c>[N, C, H, W]</c> feature maps, or the
    /// last one is not the split layer.</exception>
    public static EarlyLayers Probe(ILayerSplitGenerator generator)
    {
        ArgumentNullException.ThrowIfNull(generator);
        var names = new List<string>();
        var shapes = new List<FeatureShape>();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        generator.Early(zeros(1, generator.LatentSize, device: generator.Device), (name, output) =>
        {
            if (output.dim() != 4)
            {
                throw new NotSupportedException(
                    $"Early layer '{name}' outputs a tensor of shape [{string.Join(", ", output.shape)}]; inversion needs [N, C, H, W] feature maps.");
            }

            names.Add(name);
            shapes.Add(new FeatureShape((int)output.shape[1], (int)output.shape[2], (int)output.shape[3]));
            return output;
        });

        if (names.Count == 0 || names[^1] != generator.SplitLayer || shapes[^1] != generator.RepresentationShape)
        {
            throw new NotSupportedException(
                $"The generator's early layers ({string.Join(", ", names)}) do not end with its split layer '{generator.SplitLayer}' " +
                $"of shape {generator.RepresentationShape}.");
        }

        return new EarlyLayers(names, shapes);
    }

    /// <summary>
    /// Runs G_H on <paramref name="latents"/> and returns every early layer's output by name, owned by
    /// <paramref name="scope"/> (gradients flow only if the caller records them).
    /// </summary>
    public static Dictionary<string, Tensor> Capture(ILayerSplitGenerator generator, Tensor latents, DisposeScope scope)
    {
        var captured = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        // The split layer's output is captured by the hook too; the returned handle is not needed.
        using var representation = generator.Early(latents, (name, output) =>
        {
            // The hook's tensors belong to the forward pass's own scope, which ends with it: keep a handle in ours.
            // (Moving a tensor to the scope that already owns it would leave it orphaned in TorchSharp 0.107.)
            captured[name] = output.alias().MoveToOtherDisposeScope(scope);
            return output;
        });
        return captured;
    }
}
