using SemanticManipulation.Studio.Model;

namespace SemanticManipulation.Studio.Api;

/// <summary>The body of <c>GET /api/model</c>: everything the page builds its palette and gallery from.</summary>
/// <param name="Description">Where the model came from.</param>
/// <param name="Resolution">The model's side S: masks are S×S.</param>
/// <param name="Concepts">The palette: the catalog's concepts with a colour each.</param>
/// <param name="Actions">The stroke actions.</param>
/// <param name="Intensities">The intensities, with the unit counts of the catalog.</param>
/// <param name="Samples">The sample ids.</param>
/// <param name="Seeds">The seeds of the generated gallery.</param>
/// <param name="MaxUploadBytes">The largest upload accepted.</param>
/// <param name="Steps">The step budgets of the long jobs.</param>
internal sealed record ModelInfo(
    string Description,
    int Resolution,
    IReadOnlyList<ConceptInfo> Concepts,
    IReadOnlyList<string> Actions,
    IReadOnlyDictionary<string, int> Intensities,
    IReadOnlyList<string> Samples,
    IReadOnlyList<long> Seeds,
    int MaxUploadBytes,
    IReadOnlyDictionary<string, int> Steps);
