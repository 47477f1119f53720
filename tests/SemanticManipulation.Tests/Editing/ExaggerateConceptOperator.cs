using SemanticManipulation.Editing;

namespace SemanticManipulation.Tests.Editing;

/// <summary>
/// The sample host operator: <c>exaggerate</c> paints a concept at twice its units' q99 level, for a bolder result than
/// <c>add</c>. A host writes one like this and registers it with
/// <c>services.AddSemanticManipulation().AddEditOperator&lt;ExaggerateConceptOperator&gt;()</c>.
/// </summary>
public sealed class ExaggerateConceptOperator : ConceptEditOperator
{
    public override string Name => "exaggerate";

    public override string Description => "Add a concept at twice its usual level.";

    protected override float ValueFor(int unit, IConceptCatalog catalog) => 2 * catalog.Levels[unit];
}
