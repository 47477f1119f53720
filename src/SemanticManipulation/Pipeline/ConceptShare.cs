namespace SemanticManipulation.Pipeline;

/// <summary>How much of an edited concept the segmenter sees inside the region painted with it.</summary>
/// <param name="Concept">The concept.</param>
/// <param name="Before">Its share of the region in the photo, in [0, 1].</param>
/// <param name="After">Its share of the region in the edited image, in [0, 1].</param>
public sealed record ConceptShare(string Concept, double Before, double After);
