using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SemanticManipulation.Training.Gan;

/// <summary>A fully connected layer with ProGAN's equalised learning rate (see <see cref="EqualizedConv2d"/>).</summary>
internal sealed class EqualizedLinear : nn.Module<Tensor, Tensor>
{
#pragma warning disable IDE1006 // State-dict key names.
    private readonly Parameter weight;
    private readonly Parameter bias;
#pragma warning restore IDE1006
    // Held as a Scalar, not converted per call: see WeightScale for the TorchSharp 0.107 Scalar-lifetime bug.
    private readonly Scalar _scale;

    public EqualizedLinear(string name, int inputs, int outputs, Generator random, double gain = 1.4142135623730951)
        : base(name)
    {
        weight = new Parameter(randn([outputs, inputs], generator: random).DetachFromDisposeScope());
        bias = new Parameter(zeros(outputs).DetachFromDisposeScope());
        _scale = gain / Math.Sqrt(inputs);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input) => nn.functional.linear(input, weight * _scale, bias);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _scale.Dispose();
        }

        base.Dispose(disposing);
    }
}
