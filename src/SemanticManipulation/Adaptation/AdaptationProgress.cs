namespace SemanticManipulation.Adaptation;

/// <summary>A report from a running fit.</summary>
/// <param name="Step">Steps completed.</param>
/// <param name="TotalSteps">The step budget.</param>
/// <param name="Loss">The loss at this step.</param>
/// <param name="KeptPsnrDb">PSNR of G' on the kept pixels at this step, in dB.</param>
/// <param name="Elapsed">Time since the fit started.</param>
public readonly record struct AdaptationProgress(int Step, int TotalSteps, double Loss, double KeptPsnrDb, TimeSpan Elapsed);
