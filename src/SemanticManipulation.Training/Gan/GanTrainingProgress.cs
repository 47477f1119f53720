namespace SemanticManipulation.Training.Gan;

/// <summary>A report from GAN training.</summary>
/// <param name="Step">Steps completed.</param>
/// <param name="TotalSteps">The step budget.</param>
/// <param name="DiscriminatorLoss">D's loss (logistic), averaged since the last report.</param>
/// <param name="GeneratorLoss">G's non-saturating loss, averaged since the last report.</param>
/// <param name="SecondsPerStep">Wall time per step since the last report.</param>
/// <param name="Elapsed">Wall time of this run (not counting earlier, resumed-from runs).</param>
public readonly record struct GanTrainingProgress(int Step, int TotalSteps, double DiscriminatorLoss, double GeneratorLoss, double SecondsPerStep, TimeSpan Elapsed);
