using SemanticManipulation.Editing;

namespace SemanticManipulation;

/// <summary>
/// Turns what the user asked for ("add trees here", "remove the dome", "restyle like that picture") into an
/// <see cref="EditStroke"/>: a mask, the units it changes, the values they take and a strength. Strokes compose in an
/// <see cref="EditSession"/>, which yields the edited representation <c>r_e = r·(1 − a) + v·a</c>.
/// </summary>
/// <remarks>
/// The SDK ships <see cref="AddConceptOperator"/> (<c>add</c>), <see cref="RemoveConceptOperator"/> (<c>remove</c>) and
/// <see cref="RestyleOperator"/> (<c>restyle</c>). A host adds its own with
/// <c>services.AddSemanticManipulation().AddEditOperator&lt;T&gt;()</c>; <see cref="EditOperatorRegistry"/> finds
/// operators by <see cref="Name"/>. An operator must validate its request and fail with the reason before doing work.
/// </remarks>
public interface IEditOperator
{
    /// <summary>The name the operator is asked for by (e.g. <c>add</c>); unique within a registry, compared
    /// case-insensitively.</summary>
    string Name { get; }

    /// <summary>One line saying what the operator does, for help texts.</summary>
    string Description { get; }

    /// <summary>Creates the stroke for <paramref name="request"/>.</summary>
    /// <param name="request">Mask, strength and the operator's arguments (concept, reference image, …).</param>
    /// <param name="context">The generator, catalog and helpers the operator may use.</param>
    /// <returns>A stroke whose mask has the generator's resolution.</returns>
    /// <exception cref="ArgumentException">The request is invalid for this operator (empty or misshapen mask, unknown
    /// concept, missing argument); the message says why.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The strength is outside [0, 1].</exception>
    EditStroke CreateStroke(EditRequest request, EditContext context);
}
