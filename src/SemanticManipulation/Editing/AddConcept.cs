using static TorchSharp.torch;

namespace SemanticManipulation.Editing;

/// <summary>"Add trees here": the concept's top units switched on inside the mask (<see cref="AddConceptOperator"/>).</summary>
public sealed record AddConcept : ConceptEdit
{
    /// <summary>Creates the edit.</summary>
    /// <param name="concept">The concept's name in the catalog (e.g. <c>tree</c>).</param>
    /// <param name="mask">The painted region at image resolution, values in [0, 1].</param>
    /// <param name="intensity">How many of the concept's top units to change.</param>
    /// <param name="strength">How far the edit goes, in [0, 1].</param>
    public AddConcept(string concept, Tensor mask, ConceptIntensity intensity = ConceptIntensity.High, float strength = 1f)
        : base(concept, mask, intensity, strength)
    {
    }
}
