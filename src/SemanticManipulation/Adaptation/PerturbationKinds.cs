namespace SemanticManipulation.Adaptation;

/// <summary>Names of the built-in perturbation kinds.</summary>
public static class PerturbationKinds
{
    /// <summary>The paper's network R: δ from a fixed noise input through down-sampling conv stages.</summary>
    public const string Network = "network";

    /// <summary>The baseline: δ as free parameters, one per feature-map entry.</summary>
    public const string Free = "free";
}
