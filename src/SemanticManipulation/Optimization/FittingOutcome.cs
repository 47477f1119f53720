namespace SemanticManipulation.Optimization;

/// <summary>How a <see cref="FittingLoop{TResult}"/> ended.</summary>
/// <typeparam name="TResult">What one step returns.</typeparam>
/// <param name="StepsDone">The last step taken (counting the steps of a resumed run).</param>
/// <param name="StoppedEarly">Whether the early-stop rule ended the loop before its last step.</param>
/// <param name="First">The result of the first step this run took (a fit's starting point, e.g. the PSNR of the
/// unfitted model); the default when it took none.</param>
public sealed record FittingOutcome<TResult>(int StepsDone, bool StoppedEarly, TResult? First);
