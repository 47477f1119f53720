namespace SemanticManipulation.Editing;

/// <summary>
/// An operator that can refuse a bad edit before any photo is inverted: everything it checks in
/// <see cref="IEditOperator.CreateStroke"/> that does not need the photo's representation (or a restyle's reference).
/// </summary>
internal interface IEditPrecheck
{
    /// <summary>Throws as <see cref="IEditOperator.CreateStroke"/> would for <paramref name="edit"/>'s own arguments.</summary>
    /// <param name="edit">The edit, of the operator's type.</param>
    /// <param name="context">The generator and catalog; no representation.</param>
    void Precheck(SemanticEdit edit, EditContext context);
}
