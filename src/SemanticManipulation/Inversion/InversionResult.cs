using static TorchSharp.torch;

namespace SemanticManipulation.Inversion;

/// <summary>An inversion's outcome. Owns its tensors: dispose it (or detach what you keep).</summary>
public sealed class InversionResult : IDisposable
{
    internal InversionResult(Tensor representation, Tensor? latent, Tensor reconstruction, InversionMetrics metrics)
    {
        Representation = representation;
        Latent = latent;
        Reconstruction = reconstruction;
        Metrics = metrics;
    }

    /// <summary>r*: the representation at the split layer, <c>[1, C, H, W]</c>; edits are made on it.</summary>
    public Tensor Representation { get; }

    /// <summary>The latent refinement started from (the encoder's ẑ, or the latent nearest the mean representation),
    /// <c>[1, Z]</c>; null when it started from a representation (an encoder's r̂, or the mean r̄). r* = G_H(z) with the fitted residuals, not G_H(z) alone.</summary>
    public Tensor? Latent { get; }

    /// <summary>G_F(r*): the generator's reproduction of the photo, <c>[1, 3, R, R]</c>.</summary>
    public Tensor Reconstruction { get; }

    /// <summary>How well the photo was reproduced.</summary>
    public InversionMetrics Metrics { get; }

    /// <inheritdoc />
    public void Dispose()
    {
        Representation.Dispose();
        Latent?.Dispose();
        Reconstruction.Dispose();
    }
}
