namespace SemanticManipulation.Training.Segmentation;

/// <summary>A report from segmenter training.</summary>
/// <param name="Step">Steps completed.</param>
/// <param name="TotalSteps">The step budget.</param>
/// <param name="Loss">Weighted cross-entropy, averaged since the last report.</param>
/// <param name="PixelAccuracy">Training-batch pixel accuracy, averaged since the last report.</param>
/// <param name="Elapsed">Wall time of this run.</param>
public readonly record struct SegmenterTrainingProgress(int Step, int TotalSteps, double Loss, double PixelAccuracy, TimeSpan Elapsed);
