using SemanticManipulation.Networks;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SemanticManipulation.Segmentation;

/// <summary>
/// A small U-Net: four down-sampling stages (conv3×3-BN-ReLU twice, then 2× max-pool), a bottleneck, and four
/// up-sampling stages with skip connections, ending in per-pixel class logits. Big enough to parse 64² scenes,
/// small enough to train in minutes on a CPU.
/// </summary>
public sealed class SegmenterNetwork : nn.Module<Tensor, Tensor>
{
    private readonly Sequential[] _down;
    private readonly Sequential _bottleneck;
    private readonly Sequential[] _up;
    private readonly Conv2d _classifier;

    /// <param name="classes">Number of labels.</param>
    /// <param name="width">Channels of the first stage; each deeper stage doubles them.</param>
    /// <param name="depth">Number of down-sampling stages.</param>
    public SegmenterNetwork(int classes, int width = 24, int depth = 3)
        : base(nameof(SegmenterNetwork))
    {
        Classes = classes;
        Width = width;
        Depth = depth;
        _down = new Sequential[depth];
        var channels = 3;
        for (var i = 0; i < depth; i++)
        {
            _down[i] = Block(channels, width << i);
            register_module($"down{i}", _down[i]);
            channels = width << i;
        }

        _bottleneck = Block(channels, width << depth);
        register_module("bottleneck", _bottleneck);
        _up = new Sequential[depth];
        for (var i = depth - 1; i >= 0; i--)
        {
            _up[i] = Block((width << (i + 1)) + (width << i), width << i);
            register_module($"up{i}", _up[i]);
        }

        _classifier = nn.Conv2d(width, classes, 1);
        register_module("classifier", _classifier);
    }

    /// <summary>Number of labels it predicts.</summary>
    public int Classes { get; }

    /// <summary>Channels of the first stage (doubled at every down-sampling).</summary>
    public int Width { get; }

    /// <summary>Down-sampling stages.</summary>
    public int Depth { get; }

    /// <summary>Channels of <see cref="Features"/>.</summary>
    public int FeatureSize => Width << Depth;

    /// <summary>Per-pixel class logits <c>[N, classes, H, W]</c> for images in [-1, 1] whose side is divisible by 2^depth.</summary>
    public override Tensor forward(Tensor images)
    {
        using var scope = NewDisposeScope();
        var (bottom, skips) = Encode(images);
        var x = bottom;
        for (var i = Depth - 1; i >= 0; i--)
        {
            x = nn.functional.interpolate(x, scale_factor: [2.0, 2.0], mode: InterpolationMode.Nearest);
            x = _up[i].forward(cat([x, skips[i]], 1));
        }

        return _classifier.forward(x).MoveToOuterDisposeScope();
    }

    /// <summary>The bottleneck's features, average-pooled: <c>[N, FeatureSize]</c> (for Fréchet distances).</summary>
    public Tensor Features(Tensor images)
    {
        using var scope = NewDisposeScope();
        return Encode(images).Bottom.mean([2, 3]).MoveToOuterDisposeScope();
    }

    private (Tensor Bottom, Tensor[] Skips) Encode(Tensor images)
    {
        var skips = new Tensor[Depth];
        var x = ChannelsLast.Of(images);
        for (var i = 0; i < Depth; i++)
        {
            skips[i] = _down[i].forward(x);
            x = nn.functional.max_pool2d(skips[i], 2);
        }

        return (_bottleneck.forward(x), skips);
    }

    private static Sequential Block(int input, int output) => nn.Sequential(
        ("conv0", nn.Conv2d(input, output, 3, padding: 1, bias: false)),
        ("bn0", nn.BatchNorm2d(output)),
        ("relu0", nn.ReLU()),
        ("conv1", nn.Conv2d(output, output, 3, padding: 1, bias: false)),
        ("bn1", nn.BatchNorm2d(output)),
        ("relu1", nn.ReLU()));
}
