namespace SemanticManipulation.Training.Evaluation;

/// <summary>A report from <see cref="GeneratorQualityEvaluator"/>, after each batch.</summary>
/// <param name="Stage">The image set being processed.</param>
/// <param name="Completed">Images of that set done so far.</param>
/// <param name="Total">Images in that set.</param>
public readonly record struct GeneratorQualityProgress(GeneratorQualityStage Stage, int Completed, int Total);
