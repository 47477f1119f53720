namespace SemanticManipulation.Studio.Api;

/// <summary>The JSON body of <c>POST /api/sessions/{id}/strokes</c>, as sent; <see cref="StrokeValidation"/> checks it.</summary>
/// <param name="Action"><c>add</c>, <c>remove</c> or <c>restyle</c>.</param>
/// <param name="Concept">The concept for add and remove (one of <c>GET /api/model</c>'s).</param>
/// <param name="Intensity"><c>low</c>, <c>medium</c> or <c>high</c> (default high).</param>
/// <param name="Strength">How far the edit goes, in [0, 1] (default 1).</param>
/// <param name="Mask">The painted region: base64 of S·S bytes, row-major, 0 = untouched, 255 = edit.</param>
/// <param name="Reference">The restyle's reference.</param>
/// <param name="Photo">The <c>photo.number</c> of the state the stroke was painted on; when given, a stroke for a photo
/// the session has since replaced is refused (409) rather than applied to the new one.</param>
internal sealed record StrokeRequest(
    string? Action,
    string? Concept,
    string? Intensity,
    double? Strength,
    string? Mask,
    ReferenceRequest? Reference,
    int? Photo = null);
