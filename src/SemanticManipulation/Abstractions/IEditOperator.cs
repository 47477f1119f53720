using SemanticManipulation.Editing;

namespace SemanticManipulation;

/// <summary>
/// Turns one kind of <see cref="SemanticEdit"/> into an <see cref="EditStroke"/>: a mask, the units it changes, the values
/// they take and a strength. Strokes compose in an <see cref="EditSession"/>, which yields the edited representation
/// <c>r_e = r·(1 − a) + v·a</c>. Implement <see cref="IEditOperator{TEdit}"/>; this untyped view is what registries hold.
/// </summary>
public interface IEditOperator
{
    /// <summary>The operator's name (e.g. <c>add</c>), recorded in its strokes and shown in help texts.</summary>
    string Name { get; }

    /// <summary>One line saying what the operator does, for help texts.</summary>
    string Description { get; }

    /// <summary>The kind of edit it handles.</summary>
    Type EditType { get; }

    /// <summary>Creates the stroke for <paramref name="edit"/>, which must be of <see cref="EditType"/>.</summary>
    /// <param name="edit">The edit.</param>
    /// <param name="context">The generator, catalog and photo the operator may use.</param>
    /// <returns>A stroke whose mask has the generator's resolution.</returns>
    EditStroke CreateStroke(SemanticEdit edit, EditContext context);
}

/// <summary>
/// The operator for edits of type <typeparamref name="TEdit"/>. The SDK ships <see cref="AddConceptOperator"/>,
/// <see cref="RemoveConceptOperator"/> and <see cref="RestyleOperator"/>; a host defines its own edit record and
/// operator and registers it with <c>services.AddSemanticManipulation().AddEditOperator&lt;T&gt;()</c>. Operators
/// validate before doing work, and do no file I/O: whatever an edit refers to is resolved before the operator runs.
/// </summary>
/// <typeparam name="TEdit">The edit record it handles.</typeparam>
public interface IEditOperator<TEdit> : IEditOperator
    where TEdit : SemanticEdit
{
    /// <summary>Creates the stroke for <paramref name="edit"/>.</summary>
    /// <param name="edit">The edit.</param>
    /// <param name="context">The generator, catalog and photo the operator may use.</param>
    /// <returns>A stroke whose mask has the generator's resolution.</returns>
    /// <exception cref="ArgumentException">The edit is invalid for this model (empty or misshapen mask, unknown concept);
    /// the message says why.</exception>
    EditStroke CreateStroke(TEdit edit, EditContext context);

    /// <inheritdoc />
    Type IEditOperator.EditType => typeof(TEdit);

    /// <inheritdoc />
    EditStroke IEditOperator.CreateStroke(SemanticEdit edit, EditContext context) => edit is TEdit typed
        ? CreateStroke(typed, context)
        : throw new ArgumentException($"The '{Name}' operator handles {typeof(TEdit).Name} edits, not {edit?.GetType().Name ?? "null"}.", nameof(edit));
}
