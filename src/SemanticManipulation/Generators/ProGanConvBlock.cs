using SemanticManipulation.Networks;
using SemanticManipulation.Runtime;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SemanticManipulation.Generators;

/// <summary>
/// One ProGAN conv layer in the authors' order: pixel norm → (optional nearest 2× upsample) → conv without bias →
/// <see cref="WeightScale"/> → LeakyReLU(0.2). Checkpoint keys: <c>conv.weight</c>, <c>wscale.b</c>.
/// </summary>
internal sealed class ProGanConvBlock : nn.Module<Tensor, Tensor>
{
#pragma warning disable IDE1006 // The field names are the checkpoint key names.
    private readonly Conv2d conv;
    private readonly WeightScale wscale;
#pragma warning restore IDE1006
    private readonly bool _upsample;
    private readonly long _padding;

    public ProGanConvBlock(string name, int inputChannels, int outputChannels, int kernelSize, int padding, bool upsample)
        : base(name)
    {
        conv = nn.Conv2d(inputChannels, outputChannels, kernelSize, stride: 1, padding: padding, bias: false);
        conv.weight!.requires_grad = false;
        wscale = new WeightScale(outputChannels, inputChannels, Math.Sqrt(2) / kernelSize);
        _upsample = upsample;
        _padding = padding;
        RegisterComponents();
    }

    public Parameter Weight => conv.weight!;

    public Parameter Bias => wscale.Bias;

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var x = PixelNorm.Apply(input);
        if (_upsample)
        {
            x = nn.functional.interpolate(x, scale_factor: [2.0, 2.0], mode: InterpolationMode.Nearest);
        }

        x = wscale.forward(ChannelBlocks.Conv2d(x, conv.weight!, padding: _padding));
        return x.LeakyRelu().MoveToOuterDisposeScope();
    }
}
