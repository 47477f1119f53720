using System.Diagnostics.CodeAnalysis;

namespace SemanticManipulation.Editing;

/// <summary>
/// Finds edit operators by name. Built from the operators registered in DI (the SDK's <c>add</c>, <c>remove</c>,
/// <c>restyle</c> and the host's own). A host operator replaces a built-in of the same name whatever the registration
/// order; between two host operators of the same name, the later one wins.
/// </summary>
public sealed class EditOperatorRegistry
{
    private readonly Dictionary<string, IEditOperator> _operators = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<string> _names = [];

    /// <summary>Creates the registry.</summary>
    /// <param name="operators">The operators, in registration order.</param>
    public EditOperatorRegistry(IEnumerable<IEditOperator> operators)
    {
        ArgumentNullException.ThrowIfNull(operators);
        foreach (var op in operators)
        {
            ArgumentNullException.ThrowIfNull(op, nameof(operators));
            ArgumentException.ThrowIfNullOrWhiteSpace(op.Name, nameof(operators));
            if (!_operators.TryGetValue(op.Name, out var existing))
            {
                _names.Add(op.Name);
            }
            else if (IsBuiltIn(op) && !IsBuiltIn(existing))
            {
                // The host registered its own before AddSemanticManipulation added the SDK's: the host's stays.
                continue;
            }

            _operators[op.Name] = op;
        }
    }

    /// <summary>A registry of the SDK's built-in operators (<c>add</c>, <c>remove</c>, <c>restyle</c>), for use without DI.</summary>
    public static EditOperatorRegistry CreateDefault() =>
        new([new AddConceptOperator(), new RemoveConceptOperator(), new RestyleOperator()]);

    private static bool IsBuiltIn(IEditOperator op) => op is AddConceptOperator or RemoveConceptOperator or RestyleOperator;

    /// <summary>The operator names, in registration order.</summary>
    public IReadOnlyList<string> Names => _names;

    /// <summary>The operators, in registration order of their names.</summary>
    public IEnumerable<IEditOperator> Operators => _names.Select(n => _operators[n]);

    /// <summary>Looks up an operator.</summary>
    /// <param name="name">Its name (case-insensitive).</param>
    /// <param name="editOperator">The operator.</param>
    /// <returns>Whether one is registered under that name.</returns>
    public bool TryGet(string name, [NotNullWhen(true)] out IEditOperator? editOperator)
    {
        editOperator = null;
        return name is not null && _operators.TryGetValue(name, out editOperator);
    }

    /// <summary>The operator registered under <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">No operator has that name; the message lists the known ones.</exception>
    public IEditOperator Get(string name) =>
        TryGet(name, out var op) ? op : throw new ArgumentException(
            $"Unknown edit operator '{name}'. Known operators: {string.Join(", ", _names)}.", nameof(name));
}
