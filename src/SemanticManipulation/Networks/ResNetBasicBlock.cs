using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SemanticManipulation.Networks;

/// <summary>
/// ResNet's basic block (two 3×3 convs with BatchNorm, identity or 1×1 projection shortcut), with torchvision's
/// child names (<c>conv1</c>, <c>bn1</c>, <c>conv2</c>, <c>bn2</c>, <c>downsample.0</c>, <c>downsample.1</c>) so that
/// torchvision-layout state dicts, such as the authors' encoder trunk, map onto it key for key. The projection is a
/// <see cref="PointwiseConv"/>: a strided 1×1 <c>nn.Conv2d</c> can corrupt memory in libtorch's backward pass.
/// </summary>
internal sealed class ResNetBasicBlock : nn.Module<Tensor, Tensor>
{
#pragma warning disable IDE1006 // Field names are the state-dict key names.
    private readonly Conv2d conv1;
    private readonly BatchNorm2d bn1;
    private readonly Conv2d conv2;
    private readonly BatchNorm2d bn2;
    private readonly Sequential? downsample;
#pragma warning restore IDE1006

    public ResNetBasicBlock(string name, int inputChannels, int outputChannels, int stride)
        : base(name)
    {
        conv1 = nn.Conv2d(inputChannels, outputChannels, 3, stride: stride, padding: 1, bias: false);
        bn1 = nn.BatchNorm2d(outputChannels);
        conv2 = nn.Conv2d(outputChannels, outputChannels, 3, stride: 1, padding: 1, bias: false);
        bn2 = nn.BatchNorm2d(outputChannels);
        // torchvision projects the shortcut whenever the shape changes; the keys exist only then.
        if (stride != 1 || inputChannels != outputChannels)
        {
            downsample = nn.Sequential(
                ("0", (nn.Module<Tensor, Tensor>)new PointwiseConv(inputChannels, outputChannels, stride, bias: false)),
                ("1", nn.BatchNorm2d(outputChannels)));
        }

        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var x = nn.functional.relu(bn1.forward(conv1.forward(input)));
        x = bn2.forward(conv2.forward(x));
        var shortcut = downsample is null ? input : downsample.forward(input);
        return nn.functional.relu(x + shortcut).MoveToOuterDisposeScope();
    }
}
