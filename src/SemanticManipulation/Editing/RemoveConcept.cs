using static TorchSharp.torch;

namespace SemanticManipulation.Editing;

/// <summary>"Remove this dome": the concept's top units switched off inside the mask (<see cref="RemoveConceptOperator"/>).</summary>
public sealed record RemoveConcept : ConceptEdit
{
    /// <summary>Creates the edit.</summary>
    /// <param name="concept">The concept's name in the catalog (e.g. <c>dome</c>).</param>
    /// <param name="mask">The painted region at image resolution, values in [0, 1].</param>
    /// <param name="intensity">How many of the concept's top units to change.</param>
    /// <param name="strength">How far the edit goes, in [0, 1].</param>
    public RemoveConcept(string concept, Tensor mask, ConceptIntensity intensity = ConceptIntensity.High, float strength = 1f)
        : base(concept, mask, intensity, strength)
    {
    }
}
