namespace SemanticManipulation.Editing;

/// <summary><c>add</c>: switches the concept's top units on inside the mask, at their q99 activation level (the
/// authors' recipe), so the generator draws the concept there.</summary>
public sealed class AddConceptOperator : ConceptEditOperator<AddConcept>
{
    /// <summary>The operator's name.</summary>
    public const string OperatorName = "add";

    /// <inheritdoc />
    public override string Name => OperatorName;

    /// <inheritdoc />
    public override string Description => "Add a concept in the painted region (its top units set to their q99 level).";

    /// <inheritdoc />
    protected override float ValueFor(int unit, IConceptCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return catalog.Levels[unit];
    }
}
