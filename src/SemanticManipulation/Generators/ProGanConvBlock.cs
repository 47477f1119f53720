using SemanticManipulation.Networks;
using SemanticManipulation.Runtime;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SemanticManipulation.Generators;

/// <summary>
/// One ProGAN conv layer in the authors' order: pixel norm → (optional nearest 2× upsample) → conv without bias →
/// <see cref="WeightScale"/> → LeakyReLU(0.2), computed in fewer passes (see <see cref="forward"/> and
/// <see cref="UpsampledConvolution"/>). Checkpoint keys: <c>conv.weight</c>, <c>wscale.b</c>.
/// </summary>
internal sealed class ProGanConvBlock : nn.Module<Tensor, Tensor>
{
#pragma warning disable IDE1006 // The field names are the checkpoint key names.
    private readonly Conv2d conv;
    private readonly WeightScale wscale;
#pragma warning restore IDE1006
    // Layers whose output is at most this many pixels on a side run in NCHW order, the larger ones channels-last.
    private const long BlockedSide = 8;
    private readonly bool _upsample;
    private readonly long _padding;
    private readonly long _kernelSize;

    public ProGanConvBlock(string name, int inputChannels, int outputChannels, int kernelSize, int padding, bool upsample)
        : base(name)
    {
        conv = nn.Conv2d(inputChannels, outputChannels, kernelSize, stride: 1, padding: padding, bias: false);
        conv.weight!.requires_grad = false;
        wscale = new WeightScale(outputChannels, inputChannels, Math.Sqrt(2) / kernelSize);
        _upsample = upsample;
        _padding = padding;
        _kernelSize = kernelSize;
        RegisterComponents();
    }

    public Parameter Weight => conv.weight!;

    public Parameter Bias => wscale.Bias;

    public override Tensor forward(Tensor input)
    {
        // The authors' order is pixel norm → upsample → conv → ·scale + b → LeakyReLU. Every step but the activation is
        // linear per pixel, so the weight scale rides on the pixel norm's one-channel factor and the bias on the conv:
        // two fewer passes over the activations, the same function.
        using var scope = NewDisposeScope();
        var x = input * PixelNorm.ScaledFactor(input, wscale.HeldScale);
        var weight = conv.weight!;
        var side = x.shape[2];
        var outputSide = _upsample ? 2 * side : side + (2 * _padding) - _kernelSize + 1;
        if (outputSide <= BlockedSide)
        {
            // Few pixels, many channels: oneDNN's blocked NCHW kernels are the fast ones here (2–4× at 4×4 with 256–512
            // channels), and ChannelBlocks keeps them exact whatever the channel count.
            x = x.contiguous();
            if (_upsample)
            {
                x = nn.functional.interpolate(x, scale_factor: [2.0, 2.0], mode: InterpolationMode.Nearest);
            }

            x = ChannelBlocks.Conv2d(x, weight, wscale.Bias, _padding);
        }
        else
        {
            // Larger images run channels-last: faster here (0.6–0.8× from 16² up with up to 128 channels), and oneDNN's
            // NHWC kernels are exact for any channel count.
            x = x.stride(1) == 1 ? x : ChannelsLast.Of(x);
            x = _upsample
                ? UpsampledConvolution.Apply(x, weight, wscale.Bias)
                : nn.functional.conv2d(x, weight, wscale.Bias, padding: [_padding, _padding]);
        }

        // In place: the conv's backward needs its input and weight, not its output.
        return x.leaky_relu_(HeldScalars.LeakySlope).MoveToOuterDisposeScope();
    }
}
