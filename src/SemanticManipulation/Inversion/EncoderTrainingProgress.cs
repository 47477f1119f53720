namespace SemanticManipulation.Inversion;

/// <summary>A report from a running encoder training.</summary>
/// <param name="Stage">The stage.</param>
/// <param name="Part">The part of the stage: <c>trunk</c>, <c>inv4</c> … <c>inv1</c>, or <c>joint</c>.</param>
/// <param name="Step">Steps of this part completed.</param>
/// <param name="TotalSteps">This part's step budget.</param>
/// <param name="Loss">The loss at this step.</param>
/// <param name="Elapsed">Time since training (this run of it) started.</param>
public readonly record struct EncoderTrainingProgress(EncoderTrainingStage Stage, string Part, int Step, int TotalSteps, double Loss, TimeSpan Elapsed);
