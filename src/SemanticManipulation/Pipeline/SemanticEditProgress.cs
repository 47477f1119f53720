namespace SemanticManipulation.Pipeline;

/// <summary>A report from a long step of an edit.</summary>
/// <param name="Stage">What is running.</param>
/// <param name="Step">Steps completed in this stage.</param>
/// <param name="TotalSteps">The stage's step budget.</param>
/// <param name="PsnrDb">Reconstruction PSNR in dB (kept pixels, when adapting).</param>
/// <param name="Elapsed">Time spent in this stage.</param>
public readonly record struct SemanticEditProgress(SemanticEditStage Stage, int Step, int TotalSteps, double PsnrDb, TimeSpan Elapsed);
