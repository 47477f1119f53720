using SemanticManipulation.Networks;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SemanticManipulation.Inversion;

/// <summary>
/// The hybrid encoder's trunk (the authors' <c>make_over5_resnet</c>): a ResNet (stem conv, BatchNorm, ReLU, max-pool,
/// four stages of basic blocks) whose pooling and classifier are replaced by <c>layer5</c> = 1×1 conv + LeakyReLU(0.2),
/// predicting r at the split layer straight from the image. The LeakyReLU makes r̂ resemble the generator's own
/// (post-LeakyReLU) features. Children carry the authors' names (<c>conv1</c> … <c>layer5.conv5</c>).
/// </summary>
internal sealed class EncoderTrunk : nn.Module<Tensor, Tensor>
{
    private const double NegativeSlope = 0.2;

#pragma warning disable IDE1006 // Field names are the state-dict key names.
    private readonly Conv2d conv1;
    private readonly BatchNorm2d bn1;
#pragma warning restore IDE1006
    private readonly Sequential[] _stages;
    private readonly Sequential _head;
    private readonly int _inputPool;
    private readonly int _maxPoolStride;

    public EncoderTrunk(HybridEncoderLayout layout)
        : base("resnet")
    {
        var channels = layout.StageChannels;
        conv1 = nn.Conv2d(3, channels[0], 7, stride: layout.StemStride, padding: 3, bias: false);
        bn1 = nn.BatchNorm2d(channels[0]);
        RegisterComponents();

        _stages = new Sequential[4];
        var input = channels[0];
        for (var i = 0; i < 4; i++)
        {
            _stages[i] = ResNetLayers.Stage(input, channels[i], layout.TrunkBlocks[i], layout.StageStrides[i]);
            register_module($"layer{i + 1}", _stages[i]);
            input = channels[i];
        }

        _head = nn.Sequential(
            ("conv5", (nn.Module<Tensor, Tensor>)nn.Conv2d(input, layout.Representation.Channels, 1)),
            ("relu5", nn.LeakyReLU(NegativeSlope)));
        register_module("layer5", _head);
        _inputPool = layout.InputPool;
        _maxPoolStride = layout.MaxPoolStride;
    }

    /// <summary>Predicts r̂ <c>[N, C, H, W]</c> from images <c>[N, 3, R, R]</c> in [-1, 1].</summary>
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var x = _inputPool > 1 ? nn.functional.avg_pool2d(ChannelsLast.Of(input), _inputPool) : ChannelsLast.Of(input);
        x = nn.functional.relu(bn1.forward(conv1.forward(x)));
        x = nn.functional.max_pool2d(x, kernel_size: 3, stride: _maxPoolStride, padding: 1);
        foreach (var stage in _stages)
        {
            x = stage.forward(x);
        }

        return _head.forward(x).MoveToOuterDisposeScope();
    }
}
