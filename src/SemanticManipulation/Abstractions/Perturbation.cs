using TorchSharp;
using static TorchSharp.torch;

namespace SemanticManipulation;

/// <summary>
/// Produces the image-specific perturbations δ_i, one per perturbation point of G_F, each with the full shape of that
/// feature map. A TorchSharp module like any other: fitting trains its <c>parameters()</c> (the generator stays frozen),
/// an adapted generator saves its <c>state_dict()</c>, and <c>to(device)</c> and <c>Dispose()</c> cover all it holds.
/// </summary>
/// <remarks>
/// The default is the paper's network R (<see cref="Adaptation.PerturbationNetwork"/>); the free-parameter baseline is
/// <see cref="Adaptation.FreePerturbation"/>. A new instance must produce δ = 0 everywhere so that G' = G before fitting.
/// Fixed inputs that a fitted state depends on (such as R's noise) belong in persistent buffers, so that they are saved,
/// loaded and moved with the weights.
/// </remarks>
public abstract class Perturbation : nn.Module
{
    /// <summary>Starts a perturbation for <paramref name="points"/>.</summary>
    /// <param name="name">The module's name.</param>
    /// <param name="points">The points δ is produced for, in the generator's order.</param>
    /// <exception cref="ArgumentException">There are no points.</exception>
    protected Perturbation(string name, IReadOnlyList<PerturbationPoint> points)
        : base(name)
    {
        ArgumentNullException.ThrowIfNull(points);
        if (points.Count == 0)
        {
            throw new ArgumentException("The generator has no perturbation points to adapt.", nameof(points));
        }

        Points = points.ToArray();
    }

    /// <summary>A short name of the kind of perturbation, stored with saved states (e.g. <c>network</c>, <c>free</c>).</summary>
    public abstract string Kind { get; }

    /// <summary>The points δ is produced for, in the generator's order.</summary>
    public IReadOnlyList<PerturbationPoint> Points { get; }

    /// <summary>The learning-rate schedule a fit uses when its options name none; the paper's constant rate unless the
    /// kind needs another to converge.</summary>
    public virtual Adaptation.LearningRateSchedule DefaultSchedule => Adaptation.LearningRateSchedule.Constant;

    /// <summary>Computes δ for every point: <c>[1, C, H, W]</c> tensors keyed by layer name, differentiable in the
    /// module's parameters. Tensors the call creates belong to the caller's dispose scope; a δ may also be one of the
    /// module's own parameters, so callers leave disposing to the scope and the module.</summary>
    public abstract IReadOnlyDictionary<string, Tensor> Compute();
}
