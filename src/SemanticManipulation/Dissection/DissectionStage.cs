namespace SemanticManipulation.Dissection;

/// <summary>The passes of a dissection.</summary>
public enum DissectionStage
{
    /// <summary>Streaming random samples through G_H to learn each unit's activation quantiles.</summary>
    Quantiles,

    /// <summary>Rendering and segmenting random samples to count how thresholded units overlap each concept.</summary>
    Overlap,
}
