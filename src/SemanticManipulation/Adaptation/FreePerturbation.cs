using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SemanticManipulation.Adaptation;

/// <summary>
/// The baseline perturbation: δ_i are free parameters with the full shape of each perturbed feature map, starting at
/// zero. GANPaint Studio's interactive preview used this kind at a single layer.
/// </summary>
public sealed class FreePerturbation : nn.Module<Tensor, Tensor>, IPerturbationNetwork
{
    private readonly Dictionary<string, Parameter> _deltas = new(StringComparer.Ordinal);

    /// <summary>Creates zero δ for every point.</summary>
    public FreePerturbation(IReadOnlyList<PerturbationPoint> points)
        : base(nameof(FreePerturbation))
    {
        ArgumentNullException.ThrowIfNull(points);
        if (points.Count == 0)
        {
            throw new ArgumentException("The generator has no perturbation points to adapt.", nameof(points));
        }

        Points = points.ToArray();
        foreach (var point in points)
        {
            // Detached so that a dispose scope open in the caller does not free the parameter.
            var delta = new Parameter(zeros(point.Shape.ToTensorShape()).DetachFromDisposeScope());
            _deltas[point.LayerName] = delta;
            register_parameter(point.LayerName, delta);
        }
    }

    /// <inheritdoc />
    public string Kind => PerturbationKinds.Free;

    /// <inheritdoc />
    public IReadOnlyList<PerturbationPoint> Points { get; }

    /// <inheritdoc />
    public IReadOnlyDictionary<string, Tensor> Compute() =>
        _deltas.ToDictionary(p => p.Key, p => (Tensor)p.Value, StringComparer.Ordinal);

    /// <summary>Returns the first point's δ (for use as an ordinary module).</summary>
    public override Tensor forward(Tensor input) => _deltas[Points[0].LayerName];

    /// <inheritdoc />
    public IEnumerable<Parameter> TrainableParameters() => _deltas.Values;

    /// <inheritdoc />
    public IReadOnlyDictionary<string, Tensor> StateDict() => Compute();

    /// <inheritdoc />
    public void LoadStateDict(IReadOnlyDictionary<string, Tensor> state)
    {
        ArgumentNullException.ThrowIfNull(state);
        PerturbationState.CopyInto(_deltas.Select(p => (p.Key, (Tensor)p.Value)), state);
    }

    /// <inheritdoc />
    public void MoveTo(Device device) => this.to(device);
}
