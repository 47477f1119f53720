using SemanticManipulation.Pipeline;

namespace SemanticManipulation.Training.Evaluation;

/// <summary>A report from <see cref="EditEvaluator"/>: either a pipeline step of the running edit, or a finished edit.</summary>
/// <param name="Image">The image being edited (0-based).</param>
/// <param name="Images">Images in the evaluation.</param>
/// <param name="Step">The pipeline's report (inversion or adaptation), or null when <paramref name="Completed"/> is set.</param>
/// <param name="Completed">The edit that just finished, or null while an edit is running.</param>
public readonly record struct EditEvaluationProgress(int Image, int Images, SemanticEditProgress? Step, EditEvaluationRow? Completed);
