namespace SemanticManipulation.Inversion;

/// <summary>A report from a running inversion.</summary>
/// <param name="Step">Steps completed.</param>
/// <param name="TotalSteps">The step budget.</param>
/// <param name="Loss">The loss at this step.</param>
/// <param name="PsnrDb">PSNR of the reconstruction this step's gradient came from, in dB.</param>
/// <param name="Elapsed">Time since the inversion started.</param>
public readonly record struct InversionProgress(int Step, int TotalSteps, double Loss, double PsnrDb, TimeSpan Elapsed);
