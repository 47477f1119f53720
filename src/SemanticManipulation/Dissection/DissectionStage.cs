namespace SemanticManipulation.Dissection;

/// <summary>The passes of a dissection.</summary>
public enum DissectionStage
{
    /// <summary>Streaming random samples through G_H to learn each unit's activation quantiles.</summary>
    Quantiles,

    /// <summary>Rendering and segmenting random samples to count how thresholded units overlap each concept.</summary>
    Overlap,

    /// <summary>Rendering scenes with each candidate unit switched on in a square, and (for the removal ranking) off where
    /// the concept is, to rank units by causal effect (only with <see cref="DissectionOptions.CausalRanking"/>); progress
    /// counts concepts.</summary>
    Intervention,
}
