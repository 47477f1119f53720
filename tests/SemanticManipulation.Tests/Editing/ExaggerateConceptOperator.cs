using SemanticManipulation.Editing;
using static TorchSharp.torch;

namespace SemanticManipulation.Tests.Editing;

/// <summary>The sample host edit: a concept painted at twice its units' q99 level, for a bolder result than an add.</summary>
public sealed record ExaggerateConcept : ConceptEdit
{
    public ExaggerateConcept(string concept, Tensor mask, ConceptIntensity intensity = ConceptIntensity.High, float strength = 1f)
        : base(concept, mask, intensity, strength)
    {
    }
}

/// <summary>
/// The sample host operator for <see cref="ExaggerateConcept"/>. A host writes one like this with its own edit record
/// and registers it with <c>services.AddSemanticManipulation().AddEditOperator&lt;ExaggerateConceptOperator&gt;()</c>.
/// </summary>
public sealed class ExaggerateConceptOperator : ConceptEditOperator<ExaggerateConcept>
{
    public override string Name => "exaggerate";

    public override string Description => "Add a concept at twice its usual level.";

    protected override float ValueFor(int unit, IConceptCatalog catalog) => 2 * catalog.Levels[unit];
}
