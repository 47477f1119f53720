using System.Diagnostics.CodeAnalysis;

namespace SemanticManipulation.Editing;

/// <summary>
/// The edit operators of an editor, found by the type of edit they handle. Built from the operators registered in DI
/// (the SDK's <c>add</c>, <c>remove</c>, <c>restyle</c> and the host's own). A host operator for an edit type replaces
/// the built-in one whatever the registration order; between two host operators for the same type, the later one wins.
/// </summary>
public sealed class EditOperatorRegistry
{
    private readonly Dictionary<Type, IEditOperator> _operators = [];
    private readonly List<Type> _order = [];

    /// <summary>Creates the registry.</summary>
    /// <param name="operators">The operators, in registration order.</param>
    /// <exception cref="ArgumentException">An operator has no name or does not handle a <see cref="SemanticEdit"/>.</exception>
    public EditOperatorRegistry(IEnumerable<IEditOperator> operators)
    {
        ArgumentNullException.ThrowIfNull(operators);
        foreach (var op in operators)
        {
            ArgumentNullException.ThrowIfNull(op, nameof(operators));
            ArgumentException.ThrowIfNullOrWhiteSpace(op.Name, nameof(operators));
            if (op.EditType is null || !op.EditType.IsAssignableTo(typeof(SemanticEdit)))
            {
                throw new ArgumentException($"Operator '{op.Name}' must handle a SemanticEdit type; it names {op.EditType?.Name ?? "none"}.", nameof(operators));
            }

            if (!_operators.TryGetValue(op.EditType, out var existing))
            {
                _order.Add(op.EditType);
            }
            else if (IsBuiltIn(op) && !IsBuiltIn(existing))
            {
                // The host registered its own before AddSemanticManipulation added the SDK's: the host's stays.
                continue;
            }

            _operators[op.EditType] = op;
        }
    }

    /// <summary>A registry of the SDK's built-in operators (<c>add</c>, <c>remove</c>, <c>restyle</c>), for use without DI.</summary>
    public static EditOperatorRegistry CreateDefault() =>
        new([new AddConceptOperator(), new RemoveConceptOperator(), new RestyleOperator()]);

    private static bool IsBuiltIn(IEditOperator op) => op is AddConceptOperator or RemoveConceptOperator or RestyleOperator;

    /// <summary>The operators, in registration order of the edit types they handle.</summary>
    public IEnumerable<IEditOperator> Operators => _order.Select(t => _operators[t]);

    /// <summary>Looks up the operator for an edit type.</summary>
    /// <param name="editType">The edit's type.</param>
    /// <param name="editOperator">The operator.</param>
    /// <returns>Whether one is registered for that type.</returns>
    public bool TryGet(Type editType, [NotNullWhen(true)] out IEditOperator? editOperator)
    {
        editOperator = null;
        return editType is not null && _operators.TryGetValue(editType, out editOperator);
    }

    /// <summary>The operator for edits of type <typeparamref name="TEdit"/>.</summary>
    /// <exception cref="ArgumentException">No operator handles that type; the message lists the types that have one.</exception>
    public IEditOperator Get<TEdit>()
        where TEdit : SemanticEdit => Get(typeof(TEdit));

    /// <summary>The operator for edits of type <paramref name="editType"/>.</summary>
    /// <exception cref="ArgumentException">No operator handles that type; the message lists the types that have one.</exception>
    public IEditOperator Get(Type editType) =>
        TryGet(editType, out var op) ? op : throw new ArgumentException(
            $"No edit operator handles {editType?.Name ?? "null"} edits; operators are registered for " +
            $"{string.Join(", ", _order.Select(t => t.Name))}. Register one with AddEditOperator<T>().", nameof(editType));

    /// <summary>Creates the stroke for <paramref name="edit"/> with the operator registered for its type.</summary>
    /// <exception cref="ArgumentException">No operator handles the edit's type, or the operator refuses the edit.</exception>
    public EditStroke CreateStroke(SemanticEdit edit, EditContext context)
    {
        ArgumentNullException.ThrowIfNull(edit);
        return Get(edit.GetType()).CreateStroke(edit, context);
    }
}
