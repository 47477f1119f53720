namespace SemanticManipulation.Optimization;

/// <summary>
/// Stops a fitting loop at the first step whose loss is NaN or infinite, with a <see cref="FittingDivergedException"/>
/// that names the step and suggests a lower learning rate: a diverged optimisation only gets worse with more steps.
/// </summary>
/// <param name="Subject">What diverged, as the message's subject (e.g. <c>Adaptation</c>).</param>
/// <param name="LearningRate">The learning rate the run used, quoted in the message.</param>
/// <param name="Part">The part of the run that diverged (e.g. one training stage), or null.</param>
public sealed record DivergenceRule(string Subject, double LearningRate, string? Part = null)
{
    /// <summary>The exception for a non-finite <paramref name="loss"/> at <paramref name="step"/>.</summary>
    public FittingDivergedException Diverged(int step, double loss) =>
        new($"{Subject} diverged{(Part is null ? "" : $" in {Part}")} at step {step} (loss {loss}); lower the learning rate ({LearningRate}).")
        {
            Step = step,
            Loss = loss,
        };
}
