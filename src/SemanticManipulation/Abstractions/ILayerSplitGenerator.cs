using TorchSharp;
using static TorchSharp.torch;

namespace SemanticManipulation;

/// <summary>
/// A generator split at a named layer into its early, high-level part G_H (latent z to the representation r) and its
/// late, fine part G_F (r to the image), so that G = G_F ∘ G_H. Edits change r; image-specific adaptation perturbs
/// G_F's features at the <see cref="PerturbationPoints"/>; G_H is never changed.
/// </summary>
/// <remarks>
/// Tensors go in and out on <see cref="Device"/> as float32. Both halves are differentiable with respect to their
/// input (inversion and adaptation back-propagate through them); the generator's own weights are frozen unless a
/// caller deliberately trains them. Keep calls on one thread: TorchSharp's dispose scopes are per thread.
/// </remarks>
public interface ILayerSplitGenerator : IDisposable
{
    /// <summary>Side of the square images the generator produces, in pixels.</summary>
    int Resolution { get; }

    /// <summary>Length of the latent vector z.</summary>
    int LatentSize { get; }

    /// <summary>Name of the layer whose output is the representation r (for example <c>layer4</c>).</summary>
    string SplitLayer { get; }

    /// <summary>Names of all layers in forward order, early and late.</summary>
    IReadOnlyList<string> LayerNames { get; }

    /// <summary>Shape of r for one image.</summary>
    FeatureShape RepresentationShape { get; }

    /// <summary>Named points after chosen G_F layers where image-specific perturbations are applied.</summary>
    IReadOnlyList<PerturbationPoint> PerturbationPoints { get; }

    /// <summary>The device the generator's weights live on.</summary>
    Device Device { get; }

    /// <summary>G_H: maps latents <c>[N, LatentSize]</c> to representations <c>[N, C, H, W]</c>.</summary>
    /// <param name="z">The latents.</param>
    /// <param name="hook">Called after every early layer with its output; what it returns continues forward.</param>
    Tensor Early(Tensor z, LayerHook? hook = null);

    /// <summary>G_F: maps representations <c>[N, C, H, W]</c> to images <c>[N, 3, Resolution, Resolution]</c> in [-1, 1].</summary>
    /// <param name="r">The representations (possibly edited).</param>
    /// <param name="hook">Called after every late layer with its output; what it returns continues forward. This is
    /// where perturbations <c>h·(1 + δ)</c> are applied.</param>
    Tensor Late(Tensor r, LayerHook? hook = null);

    /// <summary>
    /// G_F resumed part-way: continues from <paramref name="layerOutput"/>, what the late layer
    /// <paramref name="layerName"/> output for some r (as a hook on <see cref="Late"/> receives it), calling
    /// <paramref name="hook"/> for that layer and every later one. A caller whose changes all come at or after one layer
    /// so computes the layers before it once: image-specific adaptation holds r fixed and perturbs nothing before its
    /// first perturbation point, step after step.
    /// </summary>
    /// <param name="layerName">A late layer (after <see cref="SplitLayer"/>).</param>
    /// <param name="layerOutput">Its output <c>[N, C, H, W]</c>.</param>
    /// <param name="hook">As for <see cref="Late"/>, from <paramref name="layerName"/> on.</param>
    /// <returns>The images, as <see cref="Late"/> gives them for that r and hook; or null when the generator cannot
    /// resume part-way (the default), and the caller runs <see cref="Late"/> instead.</returns>
    Tensor? LateFrom(string layerName, Tensor layerOutput, LayerHook? hook = null) => null;

    /// <summary>The full generator G = G_F ∘ G_H.</summary>
    /// <param name="z">Latents <c>[N, LatentSize]</c>.</param>
    /// <returns>Images <c>[N, 3, Resolution, Resolution]</c>.</returns>
    Tensor Generate(Tensor z)
    {
        ArgumentNullException.ThrowIfNull(z);
        using var scope = torch.NewDisposeScope();
        return Late(Early(z)).MoveToOuterDisposeScope();
    }

    /// <summary>The trainable weights of G_F, for baselines that fine-tune the late layers.</summary>
    IEnumerable<TorchSharp.Modules.Parameter> LateParameters();
}
