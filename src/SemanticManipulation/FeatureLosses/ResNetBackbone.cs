using SemanticManipulation.Networks;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SemanticManipulation.FeatureLosses;

/// <summary>
/// An ImageNet ResNet without its classifier: 7×7 stem conv (stride 2), BatchNorm, ReLU, 3×3 max-pool (stride 2),
/// then stages of basic blocks (the first stage at stride 1, the rest halving the resolution). Children carry
/// torchvision's names (<c>conv1</c>, <c>bn1</c>, <c>layer1</c> …), so torchvision state dicts load too.
/// </summary>
internal sealed class ResNetBackbone : nn.Module<Tensor, Tensor>
{
#pragma warning disable IDE1006 // Field names are the state-dict key names.
    private readonly Conv2d conv1;
    private readonly BatchNorm2d bn1;
#pragma warning restore IDE1006
    private readonly Sequential[] _stages;

    /// <param name="stemChannels">Channels of the stem conv (64 in ResNet-18).</param>
    /// <param name="stageChannels">Channels of each stage (64, 128, 256, 512).</param>
    /// <param name="stageBlocks">Basic blocks per stage ([2, 2, 2, 2] in torchvision's ResNet-18).</param>
    public ResNetBackbone(int stemChannels, IReadOnlyList<int> stageChannels, IReadOnlyList<int> stageBlocks)
        : base(nameof(ResNetBackbone))
    {
        if (stageChannels.Count != stageBlocks.Count || stageChannels.Count == 0)
        {
            throw new ArgumentException("Need one channel count and one block count per stage.", nameof(stageBlocks));
        }

        StageChannels = stageChannels.ToArray();
        StageBlocks = stageBlocks.ToArray();
        conv1 = nn.Conv2d(3, stemChannels, 7, stride: 2, padding: 3, bias: false);
        bn1 = nn.BatchNorm2d(stemChannels);
        RegisterComponents();

        _stages = new Sequential[stageChannels.Count];
        var channels = stemChannels;
        for (var i = 0; i < _stages.Length; i++)
        {
            _stages[i] = ResNetLayers.Stage(channels, stageChannels[i], stageBlocks[i], stride: i == 0 ? 1 : 2);
            register_module($"layer{i + 1}", _stages[i]);
            channels = stageChannels[i];
        }
    }

    public IReadOnlyList<int> StageChannels { get; }

    public IReadOnlyList<int> StageBlocks { get; }

    /// <summary>Runs the stem and stages 1 … <paramref name="lastStage"/>; returns the last stage's feature map.</summary>
    public Tensor Forward(Tensor input, int lastStage)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(lastStage, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(lastStage, _stages.Length);
        using var scope = NewDisposeScope();
        // Images in NCHW order whatever their strides: libtorch follows a channels-last input into oneDNN kernels
        // that are not safe for every shape (see PointwiseConv).
        var x = nn.functional.relu(bn1.forward(conv1.forward(input.contiguous())));
        x = nn.functional.max_pool2d(x, kernel_size: 3, stride: 2, padding: 1);
        for (var i = 0; i < lastStage; i++)
        {
            x = _stages[i].forward(x);
        }

        return x.MoveToOuterDisposeScope();
    }

    /// <summary>The last stage's features averaged over space: <c>[N, channels]</c> (the network's pooled output).</summary>
    public Tensor Pooled(Tensor input)
    {
        using var scope = NewDisposeScope();
        return Forward(input, _stages.Length).mean([2, 3]).MoveToOuterDisposeScope();
    }

    public override Tensor forward(Tensor input) => Forward(input, _stages.Length);
}
