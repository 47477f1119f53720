using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SemanticManipulation.Generators;

/// <summary>
/// The equalised-learning-rate scale and bias the authors call <c>wscale</c>: <c>x · scale + b</c>, where
/// <c>scale = gain / √fan_in</c> is a constant (not a parameter, so not in the checkpoint) and <c>b</c> is per channel.
/// </summary>
internal sealed class WeightScale : nn.Module<Tensor, Tensor>
{
#pragma warning disable IDE1006 // The field names are the checkpoint key names (wscale.b).
    private readonly Parameter b;
#pragma warning restore IDE1006

    // TorchSharp 0.107 turns an implicit double into a Scalar whose finalizer can free it while libtorch still reads it (a GC on
    // another thread mid-call: "Unknown scalar type"); Scalars held in fields live as long as the module.
    private readonly Scalar _scale;

    public WeightScale(int channels, int fanIn, double gain)
        : base("wscale")
    {
        Scale = gain / Math.Sqrt(fanIn);
        _scale = Scale;
        b = new Parameter(zeros(channels), requires_grad: false);
        RegisterComponents();
    }

    /// <summary>The constant multiplier.</summary>
    public double Scale { get; }

    /// <summary>The scale as a held <see cref="Scalar"/>, for folding it into another operation.</summary>
    public Scalar HeldScale => _scale;

    /// <summary>The per-channel bias.</summary>
    public Parameter Bias => b;

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        return (input * _scale + b.view(1, -1, 1, 1)).MoveToOuterDisposeScope();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _scale.Dispose();
        }

        base.Dispose(disposing);
    }
}
