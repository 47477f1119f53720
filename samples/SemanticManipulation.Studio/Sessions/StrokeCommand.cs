using SemanticManipulation.Editing;

namespace SemanticManipulation.Studio.Sessions;

/// <summary>A validated stroke request: every value checked against the model before it reaches the worker.</summary>
/// <param name="Action"><c>add</c>, <c>remove</c> or <c>restyle</c>.</param>
/// <param name="Concept">The catalog's concept (add, remove).</param>
/// <param name="Intensity">How many units add and remove change.</param>
/// <param name="Strength">How far the edit goes, in [0, 1].</param>
/// <param name="Mask">The painted region, S·S values in [0, 1], row-major.</param>
/// <param name="Reference">The restyle's reference.</param>
/// <param name="Photo">The number of the photo it was painted on, if the page said.</param>
internal sealed record StrokeCommand(
    string Action,
    string? Concept,
    ConceptIntensity Intensity,
    float Strength,
    float[] Mask,
    ReferenceChoice? Reference,
    int? Photo);
