using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SemanticManipulation.Adaptation;

/// <summary>
/// The baseline perturbation: δ_i are free parameters with the full shape of each perturbed feature map, starting at
/// zero, each registered under its layer's name. GANPaint Studio's interactive preview used this kind at a single layer.
/// </summary>
public sealed class FreePerturbation : Perturbation
{
    /// <summary>Creates zero δ for every point.</summary>
    /// <param name="points">The perturbation points.</param>
    public FreePerturbation(IReadOnlyList<PerturbationPoint> points)
        : base(nameof(FreePerturbation), points)
    {
        foreach (var point in Points)
        {
            // Detached so that a dispose scope open in the caller does not free the parameter.
            register_parameter(point.LayerName, new Parameter(zeros(point.Shape.ToTensorShape()).DetachFromDisposeScope()));
        }
    }

    /// <inheritdoc />
    public override string Kind => PerturbationKinds.Free;

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, Tensor> Compute() =>
        // Looked up, not cached: moving the module to another device replaces its parameters.
        Points.ToDictionary(p => p.LayerName, p => (Tensor)get_parameter(p.LayerName)!, StringComparer.Ordinal);
}
