using SemanticManipulation.Networks;
using SemanticManipulation.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace SemanticManipulation.Training.Gan;

/// <summary>
/// ProGAN's discriminator, mirroring the generator: a 1×1 "from RGB" conv, then per resolution block two 3×3 convs and
/// a 2× average-pool down to 4×4, where a minibatch standard-deviation channel (so D can see a lack of variety),
/// a 3×3 conv and two dense layers give one score. Equalised learning rate and LeakyReLU(0.2) throughout.
/// </summary>
internal sealed class ProGanDiscriminator : nn.Module<Tensor, Tensor>
{
    // Held, not implicit: see HeldScalars for the TorchSharp 0.107 Scalar-lifetime bug this avoids.
    private static readonly Scalar Epsilon = 1e-8;
    private readonly EqualizedConv2d _fromRgb;
    private readonly (EqualizedConv2d First, EqualizedConv2d Second)[] _blocks;
    private readonly EqualizedConv2d _final;
    private readonly EqualizedLinear _dense;
    private readonly EqualizedLinear _score;

    /// <param name="blockChannels">Channels per resolution block from 4×4 upwards (as the generator's).</param>
    /// <param name="seed">Seed for the initial weights.</param>
    public ProGanDiscriminator(IReadOnlyList<int> blockChannels, long seed)
        : base("ProGanDiscriminator")
    {
        using var random = new Generator(0, CPU).manual_seed(seed);
        var top = blockChannels.Count - 1;
        _fromRgb = new EqualizedConv2d("from_rgb", 3, blockChannels[top], 1, random);
        register_module("from_rgb", _fromRgb);
        _blocks = new (EqualizedConv2d, EqualizedConv2d)[top];
        for (var i = top; i >= 1; i--)
        {
            var side = 4 << i;
            var first = new EqualizedConv2d($"b{side}_conv0", blockChannels[i], blockChannels[i], 3, random);
            var second = new EqualizedConv2d($"b{side}_conv1", blockChannels[i], blockChannels[i - 1], 3, random);
            register_module($"b{side}_conv0", first);
            register_module($"b{side}_conv1", second);
            _blocks[top - i] = (first, second);
        }

        _final = new EqualizedConv2d("b4_conv", blockChannels[0] + 1, blockChannels[0], 3, random);
        _dense = new EqualizedLinear("b4_dense", blockChannels[0] * 16, blockChannels[0], random);
        _score = new EqualizedLinear("score", blockChannels[0], 1, random, gain: 1);
        register_module("b4_conv", _final);
        register_module("b4_dense", _dense);
        register_module("score", _score);
    }

    public override Tensor forward(Tensor images)
    {
        using var scope = NewDisposeScope();
        // NCHW whatever the caller's strides: its convolutions pad their channels instead (see ChannelBlocks).
        var x = _fromRgb.forward(images.contiguous()).LeakyRelu();
        foreach (var (first, second) in _blocks)
        {
            x = first.forward(x).LeakyRelu();
            x = second.forward(x).LeakyRelu();
            x = nn.functional.avg_pool2d(x, 2);
        }

        x = AppendMinibatchStd(x);
        x = _final.forward(x).LeakyRelu();
        x = _dense.forward(x.flatten(1)).LeakyRelu();
        return _score.forward(x).MoveToOuterDisposeScope();
    }

    /// <summary>Appends the mean over features and pixels of the per-feature standard deviation across the batch
    /// (in groups of up to 4), as one constant channel.</summary>
    internal static Tensor AppendMinibatchStd(Tensor x)
    {
        var n = x.shape[0];
        var group = Math.Min(4, n);
        while (n % group != 0)
        {
            group--;
        }

        var grouped = x.view(group, -1, x.shape[1], x.shape[2], x.shape[3]);
        var std = (grouped - grouped.mean([0], keepdim: true)).Squared().mean([0]).add(Epsilon).sqrt();
        var feature = std.mean([1, 2, 3], keepdim: true).repeat(group, 1, x.shape[2], x.shape[3]);
        return cat([x, feature], 1);
    }
}
