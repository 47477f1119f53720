using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SemanticManipulation.Networks;

/// <summary>The weight and bias of a convolution layer, whether a TorchSharp <see cref="Conv2d"/> or a
/// <see cref="PointwiseConv"/>, for the seeded initialisers that visit every convolution of a network.</summary>
internal static class ConvolutionWeights
{
    /// <summary>The layer's weight <c>[out, in, kh, kw]</c> and bias, or false when it is not a convolution.</summary>
    public static bool TryGet(nn.Module module, out Parameter weight, out Parameter? bias)
    {
        (weight, bias) = module switch
        {
            Conv2d conv => (conv.weight!, conv.bias),
            PointwiseConv pointwise => (pointwise.Weight, pointwise.Bias),
            _ => (null!, null),
        };
        return weight is not null;
    }
}
