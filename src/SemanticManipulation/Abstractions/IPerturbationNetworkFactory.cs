using SemanticManipulation.Adaptation;

namespace SemanticManipulation;

/// <summary>Creates the perturbation for one fit. Register your own to swap in another R.</summary>
public interface IPerturbationNetworkFactory
{
    /// <summary>Creates a perturbation that yields δ = 0 for <paramref name="generator"/>'s perturbation points, on the
    /// generator's device.</summary>
    /// <param name="generator">The generator being adapted.</param>
    /// <param name="kind">Which kind the caller asked for (<see cref="AdaptationOptions.Kind"/>).</param>
    /// <param name="seed">Seed for initial weights and fixed inputs.</param>
    Perturbation Create(ILayerSplitGenerator generator, string kind, long seed);
}
