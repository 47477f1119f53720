using SemanticManipulation.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace SemanticManipulation.Training.Gan;

/// <summary>
/// A second, "vision-aided" discriminator (Kumari et al., CVPR 2022; Sauer et al.'s Projected GANs) that judges an
/// image by what a frozen segmenter sees in it: the per-pixel class probabilities, pooled to 16², go through two
/// strided conv stages, a minibatch standard-deviation channel and two dense layers to one score. It sees the scene's
/// makeup (how much stone wall, dome, hill) directly, which the pixel discriminator at this size learns too weakly:
/// without it the generator drops whole modes (stone walls at 40 % of the world's share, domes at half).
/// </summary>
/// <remarks>Equalised learning rate and LeakyReLU(0.2), as <see cref="ProGanDiscriminator"/>; only this head is trained,
/// the segmenter stays frozen.</remarks>
internal sealed class SemanticDiscriminator : nn.Module<Tensor, Tensor>
{
    /// <summary>The side the class maps are pooled to before the first conv.</summary>
    internal const int InputSide = 16;
    private readonly EqualizedConv2d _first;
    private readonly EqualizedConv2d _second;
    private readonly EqualizedConv2d _final;
    private readonly EqualizedLinear _dense;
    private readonly EqualizedLinear _score;

    /// <param name="classes">The segmenter's label count.</param>
    /// <param name="width">Channels of the first conv stage (the second doubles them).</param>
    /// <param name="seed">Seed for the initial weights.</param>
    public SemanticDiscriminator(int classes, int width, long seed)
        : base(nameof(SemanticDiscriminator))
    {
        using var random = new Generator(0, CPU).manual_seed(seed);
        _first = new EqualizedConv2d("b16_conv", classes, width, 3, random);
        _second = new EqualizedConv2d("b8_conv", width, 2 * width, 3, random);
        _final = new EqualizedConv2d("b4_conv", (2 * width) + 1, 2 * width, 3, random);
        _dense = new EqualizedLinear("b4_dense", 2 * width * 16, 2 * width, random);
        _score = new EqualizedLinear("score", 2 * width, 1, random, gain: 1);
        register_module("b16_conv", _first);
        register_module("b8_conv", _second);
        register_module("b4_conv", _final);
        register_module("b4_dense", _dense);
        register_module("score", _score);
    }

    /// <summary>Pools class probabilities <c>[N, classes, H, W]</c> (H = W, a multiple of 16) to the head's input side.</summary>
    public static Tensor Pool(Tensor probabilities)
    {
        var factor = probabilities.shape[2] / InputSide;
        return factor > 1 ? nn.functional.avg_pool2d(probabilities, factor) : probabilities;
    }

    /// <summary>One realness score per image from pooled class probabilities <c>[N, classes, 16, 16]</c> (see <see cref="Pool"/>).</summary>
    public override Tensor forward(Tensor pooled)
    {
        using var scope = NewDisposeScope();
        var x = nn.functional.avg_pool2d(_first.forward(pooled).LeakyRelu(), 2);
        x = nn.functional.avg_pool2d(_second.forward(x).LeakyRelu(), 2);
        x = ProGanDiscriminator.AppendMinibatchStd(x);
        x = _final.forward(x).LeakyRelu();
        x = _dense.forward(x.flatten(1)).LeakyRelu();
        return _score.forward(x).MoveToOuterDisposeScope();
    }
}
