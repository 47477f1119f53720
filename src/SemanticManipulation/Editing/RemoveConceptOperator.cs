namespace SemanticManipulation.Editing;

/// <summary><c>remove</c>: switches the concept's top units off inside the mask (value 0), so the generator fills the
/// region with what else fits there.</summary>
public sealed class RemoveConceptOperator : ConceptEditOperator<RemoveConcept>
{
    /// <summary>The operator's name.</summary>
    public const string OperatorName = "remove";

    /// <inheritdoc />
    public override string Name => OperatorName;

    /// <inheritdoc />
    public override string Description => "Remove a concept from the painted region (its top units set to 0).";

    /// <inheritdoc />
    protected override float ValueFor(int unit, IConceptCatalog catalog) => 0f;
}
