namespace SemanticManipulation.Training.Evaluation;

/// <summary>A square of pixels: its top-left corner and side.</summary>
/// <param name="X">Left column.</param>
/// <param name="Y">Top row.</param>
/// <param name="Side">Side in pixels.</param>
internal readonly record struct PixelSquare(int X, int Y, int Side);
