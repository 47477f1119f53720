using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SemanticManipulation.Networks;

/// <summary>Builds and initialises the parts ResNets share.</summary>
internal static class ResNetLayers
{
    /// <summary>A stage of <paramref name="blocks"/> basic blocks named <c>0, 1, …</c>; the first one strides.</summary>
    public static Sequential Stage(int inputChannels, int outputChannels, int blocks, int stride)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(blocks, 1);
        var modules = new (string, nn.Module<Tensor, Tensor>)[blocks];
        for (var i = 0; i < blocks; i++)
        {
            modules[i] = (i.ToString(System.Globalization.CultureInfo.InvariantCulture),
                new ResNetBasicBlock(i.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    i == 0 ? inputChannels : outputChannels, outputChannels, i == 0 ? stride : 1));
        }

        return nn.Sequential(modules);
    }

    /// <summary>
    /// Seeded initialisation, as torchvision's ResNet: convs Kaiming-normal (fan-out, ReLU gain), biases 0,
    /// BatchNorm scale 1 and shift 0. Seeded so that the same seed gives the same network on every machine.
    /// </summary>
    public static void Initialize(nn.Module module, Generator random)
    {
        using var noGrad = no_grad();
        foreach (var (_, child) in module.named_modules())
        {
            if (ConvolutionWeights.TryGet(child, out var weight, out var bias))
            {
                var fanOut = weight.shape[0] * weight.shape[2] * weight.shape[3];
                weight.normal_(0, Math.Sqrt(2.0 / fanOut), random);
                bias?.zero_();
            }
            else if (child is BatchNorm2d norm)
            {
                norm.weight?.fill_(1);
                norm.bias?.zero_();
            }
        }
    }
}
