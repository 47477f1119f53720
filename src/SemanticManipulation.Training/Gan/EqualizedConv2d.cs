using SemanticManipulation.Networks;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SemanticManipulation.Training.Gan;

/// <summary>
/// A conv layer with ProGAN's equalised learning rate: weights are stored N(0, 1) and scaled by
/// <c>gain / √fan_in</c> at run time, so Adam's per-parameter step sizes treat every layer alike.
/// </summary>
internal sealed class EqualizedConv2d : nn.Module<Tensor, Tensor>
{
#pragma warning disable IDE1006 // State-dict key names.
    private readonly Parameter weight;
    private readonly Parameter bias;
#pragma warning restore IDE1006
    // Held as a Scalar, not converted per call: see WeightScale for the TorchSharp 0.107 Scalar-lifetime bug.
    private readonly Scalar _scale;
    private readonly long _padding;

    public EqualizedConv2d(string name, int inputChannels, int outputChannels, int kernelSize, Generator random, double gain = 1.4142135623730951)
        : base(name)
    {
        weight = new Parameter(randn([outputChannels, inputChannels, kernelSize, kernelSize], generator: random).DetachFromDisposeScope());
        bias = new Parameter(zeros(outputChannels).DetachFromDisposeScope());
        _scale = gain / Math.Sqrt(inputChannels * kernelSize * kernelSize);
        _padding = kernelSize / 2;
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        return ChannelBlocks.Conv2d(input, weight * _scale, bias, _padding);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _scale.Dispose();
        }

        base.Dispose(disposing);
    }
}
