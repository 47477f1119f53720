using TorchSharp;
using static TorchSharp.torch;

namespace SemanticManipulation.Generators;

/// <summary>ProGAN's pixel-wise feature normalisation: <c>x / sqrt(mean_c(x²) + 1e-8)</c>.</summary>
internal static class PixelNorm
{
    private const double Epsilon = 1e-8;

    /// <summary>Normalises each pixel's feature vector over the channel dimension of <c>[N, C, H, W]</c>.</summary>
    public static Tensor Apply(Tensor x)
    {
        using var scope = NewDisposeScope();
        var meanSquare = x.pow(2).mean([1], keepdim: true);
        return (x / (meanSquare + Epsilon).sqrt()).MoveToOuterDisposeScope();
    }
}
