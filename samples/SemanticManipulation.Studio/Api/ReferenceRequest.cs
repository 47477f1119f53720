namespace SemanticManipulation.Studio.Api;

/// <summary>A restyle's reference in a stroke request: exactly one of a sample id, a seed, or an uploaded reference's id.</summary>
/// <param name="Sample">A sample id from <c>GET /api/model</c>.</param>
/// <param name="Seed">A seed of a generated image.</param>
/// <param name="Upload">An id from <c>POST /api/sessions/{id}/references</c>.</param>
internal sealed record ReferenceRequest(string? Sample, long? Seed, string? Upload);
