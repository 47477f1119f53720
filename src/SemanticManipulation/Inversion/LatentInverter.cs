using SemanticManipulation.Runtime;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SemanticManipulation.Inversion;

/// <summary>
/// The authors' last inverter (<c>Layer1toZNormEncoder</c>), from the first layer's output to z: pixel norm → conv
/// over the whole map (4×4 in ProGAN, no padding) → BatchNorm → LeakyReLU(0.2) → 1×1 conv → pixel norm, so that ẑ
/// has the unit mean square of a Gaussian latent after the generator's own pixel norm.
/// </summary>
internal sealed class LatentInverter : nn.Module<Tensor, Tensor>
{
#pragma warning disable IDE1006 // Field names are the state-dict key names.
    private readonly Conv2d conv1;
    private readonly BatchNorm2d bn1;
    private readonly Conv2d conv2;
#pragma warning restore IDE1006

    public LatentInverter(InverterSpec spec)
        : base(spec.Name)
    {
        var latent = spec.Output.Channels;
        conv1 = nn.Conv2d(spec.Input.Channels, latent, spec.Input.Height, stride: 1L, padding: 0L);
        bn1 = nn.BatchNorm2d(latent);
        conv2 = nn.Conv2d(latent, latent, 1);
        RegisterComponents();
    }

    /// <summary>Maps layer-1 features <c>[N, C, s, s]</c> to latents <c>[N, Z]</c>.</summary>
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var x = Generators.PixelNorm.Apply(input);
        x = bn1.forward(conv1.forward(x)).LeakyRelu();
        x = Generators.PixelNorm.Apply(conv2.forward(x));
        return x.flatten(1).MoveToOuterDisposeScope();
    }
}
