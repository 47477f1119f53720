using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SemanticManipulation.Generators;

/// <summary>
/// The authors' output block <c>output_RxR</c>: pixel norm → 1×1 conv → <see cref="WeightScale"/> with gain 1 →
/// optional clamp to [-1, 1]. No activation.
/// </summary>
internal sealed class ProGanOutputBlock : nn.Module<Tensor, Tensor>
{
#pragma warning disable IDE1006 // The field names are the checkpoint key names.
    private readonly Conv2d conv;
    private readonly WeightScale wscale;
#pragma warning restore IDE1006
    // Held, not implicit: see WeightScale for the TorchSharp 0.107 Scalar-lifetime bug this avoids.
    private static readonly Scalar Low = -1.0, High = 1.0;
    private readonly bool _clamp;

    public ProGanOutputBlock(string name, int inputChannels, bool clamp)
        : base(name)
    {
        conv = nn.Conv2d(inputChannels, 3, kernel_size: 1L, stride: 1L, padding: 0L, bias: false);
        conv.weight!.requires_grad = false;
        wscale = new WeightScale(3, inputChannels, 1.0);
        _clamp = clamp;
        RegisterComponents();
    }

    public Parameter Weight => conv.weight!;

    public Parameter Bias => wscale.Bias;

    public override Tensor forward(Tensor input)
    {
        // A 1×1 conv on channels-last activations is one matrix product over the pixels: [N, H, W, C] · Wᵀ + b. The
        // weight scale rides on the pixel norm's factor, as in ProGanConvBlock.
        using var scope = NewDisposeScope();
        var x = input * PixelNorm.ScaledFactor(input, wscale.HeldScale);
        var weight = conv.weight!;
        x = nn.functional.linear(x.permute(0, 2, 3, 1), weight.view(weight.shape[0], weight.shape[1]), wscale.Bias).permute(0, 3, 1, 2);
        return (_clamp ? x.clamp(Low, High) : x).MoveToOuterDisposeScope();
    }
}
