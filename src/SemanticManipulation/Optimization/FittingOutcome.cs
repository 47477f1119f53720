namespace SemanticManipulation.Optimization;

/// <summary>How a <see cref="FittingLoop{TResult}"/> ended.</summary>
/// <param name="StepsDone">The last step taken (counting the steps of a resumed run).</param>
/// <param name="StoppedEarly">Whether the early-stop rule ended the loop before its last step.</param>
internal sealed record FittingOutcome(int StepsDone, bool StoppedEarly);
