using SemanticManipulation.Adaptation;
using SemanticManipulation.Inversion;

namespace SemanticManipulation.Pipeline;

/// <summary>How an edit went, measured once when it was rendered and reported from here by every front end.</summary>
/// <param name="UneditedPsnrDb">PSNR of the result against the photo on the unedited pixels (the keep mask), in dB.</param>
/// <param name="MaskFraction">Fraction of the image inside the edit mask.</param>
/// <param name="ConceptShares">For each concept the strokes painted that the segmenter knows: its share inside its
/// strokes' region before and after. Empty without a segmenter.</param>
/// <param name="Inversion">How the photo was inverted; null when its representation was given.</param>
/// <param name="Adaptation">How G' was fitted.</param>
public sealed record EditMetrics(
    double UneditedPsnrDb,
    double MaskFraction,
    IReadOnlyList<ConceptShare> ConceptShares,
    InversionMetrics? Inversion,
    AdaptationMetrics Adaptation);
