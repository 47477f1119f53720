using SemanticManipulation.Pipeline;

namespace SemanticManipulation.Studio.Sessions;

/// <summary>The last render.</summary>
/// <param name="UneditedPsnrDb">PSNR against the photo on the unedited pixels, in dB; null when they match exactly.</param>
/// <param name="MaskFraction">Fraction of the image inside the edit.</param>
/// <param name="ConceptShares">Each painted concept's share in its strokes' region, before and after.</param>
/// <param name="AdaptationSteps">Adaptation steps run.</param>
/// <param name="Seconds">Adaptation time.</param>
/// <param name="Stale">Whether the strokes changed since.</param>
internal sealed record RenderInfo(
    double? UneditedPsnrDb,
    double MaskFraction,
    IReadOnlyList<ConceptShare> ConceptShares,
    int AdaptationSteps,
    double Seconds,
    bool Stale);
