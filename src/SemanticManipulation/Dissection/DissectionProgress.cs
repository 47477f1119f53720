namespace SemanticManipulation.Dissection;

/// <summary>A dissection's progress, reported after every batch.</summary>
/// <param name="Stage">The current pass.</param>
/// <param name="Completed">Samples done in this pass.</param>
/// <param name="Total">Samples in this pass.</param>
/// <param name="Elapsed">Time since the dissection started.</param>
public sealed record DissectionProgress(DissectionStage Stage, int Completed, int Total, TimeSpan Elapsed)
{
    /// <summary>Whether this report is one to show a person: the end of a pass, or a concept the causal ranking
    /// finished (every report of <see cref="DissectionStage.Intervention"/> counts concepts, far apart).</summary>
    public bool IsMilestone => Completed == Total || Stage == DissectionStage.Intervention;
}
