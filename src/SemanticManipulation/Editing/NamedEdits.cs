using static TorchSharp.torch;

namespace SemanticManipulation.Editing;

/// <summary>
/// The built-in edits by name, for front ends that receive them as text (the CLI, the studio): the one place where
/// <c>add</c>, <c>remove</c> and <c>restyle</c> and their arguments become <see cref="AddConcept"/>,
/// <see cref="RemoveConcept"/> and <see cref="Restyle"/>.
/// </summary>
public static class NamedEdits
{
    /// <summary>The names, as the operators record them in their strokes.</summary>
    public static IReadOnlyList<string> Names { get; } = [AddConceptOperator.OperatorName, RemoveConceptOperator.OperatorName, RestyleOperator.OperatorName];

    /// <summary>The edit called <paramref name="name"/> with its arguments.</summary>
    /// <param name="name"><c>add</c>, <c>remove</c> or <c>restyle</c> (case-insensitive).</param>
    /// <param name="mask">The painted region at image resolution, values in [0, 1].</param>
    /// <param name="concept">The concept, for <c>add</c> and <c>remove</c>.</param>
    /// <param name="intensity">How many units <c>add</c> and <c>remove</c> change.</param>
    /// <param name="strength">How far the edit goes, in [0, 1].</param>
    /// <param name="reference">The appearance to copy, for <c>restyle</c>.</param>
    /// <exception cref="ArgumentException">The name is unknown, or the edit's own argument is missing.</exception>
    public static SemanticEdit Create(string name, Tensor mask, string? concept = null, ConceptIntensity intensity = ConceptIntensity.High,
        float strength = 1f, ReferenceImage? reference = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name.ToLowerInvariant() switch
        {
            AddConceptOperator.OperatorName => new AddConcept(RequireConcept(name, concept), mask, intensity, strength),
            RemoveConceptOperator.OperatorName => new RemoveConcept(RequireConcept(name, concept), mask, intensity, strength),
            RestyleOperator.OperatorName => new Restyle(reference ?? throw new ArgumentException(
                "The 'restyle' edit needs a reference image.", nameof(reference)), mask, strength),
            _ => throw new ArgumentException($"Unknown edit '{name}'. Known edits: {string.Join(", ", Names)}.", nameof(name)),
        };
    }

    private static string RequireConcept(string name, string? concept) =>
        string.IsNullOrWhiteSpace(concept) ? throw new ArgumentException($"The '{name}' edit needs a concept (e.g. tree).", nameof(concept)) : concept;
}
