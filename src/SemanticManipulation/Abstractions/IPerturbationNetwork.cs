using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SemanticManipulation;

/// <summary>
/// Produces the image-specific perturbations δ_i, one per perturbation point of G_F, each with the full shape of that
/// feature map. Fitting trains only this object's parameters; the generator stays frozen.
/// </summary>
/// <remarks>
/// The default is the paper's network R (<see cref="Adaptation.PerturbationNetwork"/>); the free-parameter baseline is
/// <see cref="Adaptation.FreePerturbation"/>. A new instance must produce δ = 0 everywhere so that G' = G before fitting.
/// </remarks>
public interface IPerturbationNetwork : IDisposable
{
    /// <summary>A short name of the kind of perturbation, stored with saved states (e.g. <c>network</c>, <c>free</c>).</summary>
    string Kind { get; }

    /// <summary>The points δ is produced for, in the generator's order.</summary>
    IReadOnlyList<PerturbationPoint> Points { get; }

    /// <summary>Computes δ for every point: <c>[1, C, H, W]</c> tensors keyed by layer name, differentiable in
    /// <see cref="TrainableParameters"/>.</summary>
    IReadOnlyDictionary<string, Tensor> Compute();

    /// <summary>The parameters fitting optimises.</summary>
    IEnumerable<Parameter> TrainableParameters();

    /// <summary>Everything needed to restore the fitted state (weights, and any fixed inputs such as R's noise).</summary>
    IReadOnlyDictionary<string, Tensor> StateDict();

    /// <summary>Restores a state written by <see cref="StateDict"/>.</summary>
    /// <exception cref="ArgumentException">A key is missing or has the wrong shape; the message names it.</exception>
    void LoadStateDict(IReadOnlyDictionary<string, Tensor> state);

    /// <summary>Moves the parameters to <paramref name="device"/>.</summary>
    void MoveTo(Device device);
}
