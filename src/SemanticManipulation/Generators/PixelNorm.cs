using SemanticManipulation.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace SemanticManipulation.Generators;

/// <summary>ProGAN's pixel-wise feature normalisation: <c>x / sqrt(mean_c(x²) + 1e-8)</c>.</summary>
internal static class PixelNorm
{
    // Held, not implicit, and added with a held alpha (`+` would make a temporary alpha = 1): see HeldScalars for the
    // TorchSharp 0.107 Scalar-lifetime bug this avoids.
    private static readonly Scalar Epsilon = 1e-8;

    /// <summary>Normalises each pixel's feature vector over the channel dimension of <c>[N, C, H, W]</c>.</summary>
    public static Tensor Apply(Tensor x)
    {
        using var scope = NewDisposeScope();
        var meanSquare = x.Squared().mean([1], keepdim: true);
        return (x / meanSquare.add(Epsilon, HeldScalars.One).sqrt()).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The per-pixel factor <c>scale / sqrt(mean_c(x²) + 1e-8)</c>, <c>[N, 1, H, W]</c>: multiplying <c>x</c> by it
    /// normalises and applies a following layer's weight scale at once, on one channel instead of all of them.
    /// </summary>
    public static Tensor ScaledFactor(Tensor x, Scalar scale)
    {
        using var scope = NewDisposeScope();
        return (x.Squared().mean([1], keepdim: true).add(Epsilon, HeldScalars.One).rsqrt() * scale).MoveToOuterDisposeScope();
    }
}
