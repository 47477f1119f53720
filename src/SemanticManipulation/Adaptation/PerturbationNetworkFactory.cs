using TorchSharp;

namespace SemanticManipulation.Adaptation;

/// <summary>Creates the built-in perturbations: R (<see cref="PerturbationKinds.Network"/>) and free δ
/// (<see cref="PerturbationKinds.Free"/>), on the generator's device.</summary>
public sealed class PerturbationNetworkFactory : IPerturbationNetworkFactory
{
    /// <summary>Channels of R's fixed noise input (32 in the paper).</summary>
    public int NoiseChannels { get; init; } = 32;

    /// <inheritdoc />
    public Perturbation Create(ILayerSplitGenerator generator, string kind, long seed)
    {
        ArgumentNullException.ThrowIfNull(generator);
        Perturbation perturbation = kind switch
        {
            PerturbationKinds.Network => new PerturbationNetwork(generator.PerturbationPoints, seed, NoiseChannels),
            PerturbationKinds.Free => new FreePerturbation(generator.PerturbationPoints),
            _ => throw new ArgumentException(
                $"Unknown perturbation kind '{kind}'; the built-in kinds are '{PerturbationKinds.Network}' and '{PerturbationKinds.Free}'.",
                nameof(kind)),
        };
        return perturbation.to(generator.Device);
    }
}
