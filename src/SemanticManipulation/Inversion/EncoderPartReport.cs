namespace SemanticManipulation.Inversion;

/// <summary>How one part of encoder training went.</summary>
/// <param name="Stage">The stage.</param>
/// <param name="Part">The part: <c>trunk</c>, <c>inv4</c> … <c>inv1</c>, or <c>joint</c>.</param>
/// <param name="Steps">Steps run (over all resumed runs).</param>
/// <param name="Seconds">Training time (over all resumed runs).</param>
/// <param name="FinalLoss">The loss at the last step (NaN if no step ran).</param>
public sealed record EncoderPartReport(EncoderTrainingStage Stage, string Part, int Steps, double Seconds, double FinalLoss);
