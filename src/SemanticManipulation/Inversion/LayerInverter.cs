using SemanticManipulation.Networks;
using SemanticManipulation.Runtime;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SemanticManipulation.Inversion;

/// <summary>
/// The authors' per-layer inverter (<c>LayerNormEncoder</c>): pixel norm → conv3×3 → BatchNorm → LeakyReLU(0.2) →
/// conv3×3 → BatchNorm → LeakyReLU(0.2) → (1×1 conv with the layer's stride). Maps a generator layer's output back
/// to its input; child names match their checkpoints (<c>conv1</c>, <c>bn1</c>, <c>conv2</c>, <c>bn2</c>, <c>conv3</c>).
/// </summary>
internal sealed class LayerInverter : nn.Module<Tensor, Tensor>
{
#pragma warning disable IDE1006 // Field names are the state-dict key names.
    private readonly Conv2d conv1;
    private readonly BatchNorm2d bn1;
    private readonly Conv2d conv2;
    private readonly BatchNorm2d bn2;
    private readonly PointwiseConv? conv3;
#pragma warning restore IDE1006

    public LayerInverter(InverterSpec spec)
        : base(spec.Name)
    {
        var input = spec.Input.Channels;
        var output = spec.Output.Channels;
        conv1 = nn.Conv2d(input, output, 3, padding: 1);
        bn1 = nn.BatchNorm2d(output);
        conv2 = nn.Conv2d(output, output, 3, padding: 1);
        bn2 = nn.BatchNorm2d(output);
        if (spec.HasConv3)
        {
            conv3 = new PointwiseConv(output, output, spec.Stride);
        }

        RegisterComponents();
    }

    /// <summary>The final 1×1 conv's parameters (frozen in joint training, as the authors do: redundant with the next
    /// inverter's first conv).</summary>
    public IEnumerable<Parameter> Conv3Parameters() => conv3 is null ? [] : conv3.parameters();

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var x = Generators.PixelNorm.Apply(input);
        x = bn1.forward(conv1.forward(x)).LeakyRelu();
        x = bn2.forward(conv2.forward(x)).LeakyRelu();
        if (conv3 is not null)
        {
            x = conv3.forward(x);
        }

        return x.MoveToOuterDisposeScope();
    }
}
