namespace SemanticManipulation.Training.Evaluation;

/// <summary>How the add edits painted with one mask shape fared.</summary>
/// <param name="Shape">The mask shape.</param>
/// <param name="Edits">Add edits painted with it.</param>
/// <param name="SuccessRate">Fraction of them that reached the share threshold.</param>
public sealed record ShapeSuccess(EditMaskShape Shape, int Edits, double SuccessRate);
