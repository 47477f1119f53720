namespace SemanticManipulation.Studio.Sessions;

/// <summary>A stroke as the page lists it.</summary>
/// <param name="Id">The stroke's id within its session (never reused).</param>
/// <param name="Action"><c>add</c>, <c>remove</c> or <c>restyle</c>.</param>
/// <param name="Concept">The concept painted (add, remove).</param>
/// <param name="Intensity"><c>low</c>, <c>medium</c> or <c>high</c> (add, remove).</param>
/// <param name="Strength">How far the edit goes, in [0, 1].</param>
/// <param name="Reference">The restyle's reference: <c>sample:ID</c>, <c>seed:N</c> or <c>upload:ID</c>.</param>
/// <param name="Coverage">The fraction of the image the stroke touches.</param>
/// <param name="Units">How many units the stroke changes.</param>
/// <param name="Notes">What the SDK says about how the stroke was read.</param>
internal sealed record StrokeInfo(
    int Id,
    string Action,
    string? Concept,
    string? Intensity,
    double Strength,
    string? Reference,
    double Coverage,
    int Units,
    IReadOnlyList<string> Notes);
