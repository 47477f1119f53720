namespace SemanticManipulation.Editing;

/// <summary><c>remove</c>: switches the concept's units for removal off inside the mask (value 0), so the generator fills
/// the region with what else fits there. The units come from the catalog's removal ranking when it has one (units ranked
/// by how much of the concept disappears when they are switched off), else from the concept's ranking, whose units draw
/// the concept when switched on but need not be the ones that keep it there.</summary>
public sealed class RemoveConceptOperator : ConceptEditOperator<RemoveConcept>
{
    /// <summary>The operator's name.</summary>
    public const string OperatorName = "remove";

    /// <inheritdoc />
    public override string Name => OperatorName;

    /// <inheritdoc />
    public override string Description => "Remove a concept from the painted region (its units for removal set to 0).";

    /// <inheritdoc />
    protected override IReadOnlyList<int> SelectUnits(IConceptCatalog catalog, string concept, int count)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return catalog.SelectUnitsToRemove(concept, count);
    }

    /// <inheritdoc />
    protected override float ValueFor(int unit, IConceptCatalog catalog) => 0f;
}
