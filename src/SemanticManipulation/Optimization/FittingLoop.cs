using SemanticManipulation.Runtime;

namespace SemanticManipulation.Optimization;

/// <summary>
/// The loop every optimisation of the SDK runs (adaptation, inversion refinement, encoder, GAN and segmenter training),
/// so that what surrounds a step is written once: cancellation before each step, garbage collections fenced off to the
/// gaps between steps (<see cref="CollectionFence"/>), the divergence check, the early-stop rule, progress at an
/// interval, the caller's per-step bookkeeping (samples), and checkpoints at an interval and on cancellation, in that order.
/// </summary>
/// <typeparam name="TResult">What one step returns: its loss and whatever metrics its caller reports.</typeparam>
/// <remarks>
/// The step function does the tensor work of one step, in its own dispose scope, and returns plain numbers; a step
/// that trains uses <see cref="GradientStep.Take"/> and an optimiser from <see cref="HeldScalarAdam"/>, whose scalars
/// outlive the native calls that read them.
/// </remarks>
public sealed class FittingLoop<TResult>
{
    private readonly FittingOptions _options;
    private readonly Func<int, TResult> _step;

    /// <summary>Prepares the loop.</summary>
    /// <param name="options">Steps, progress interval and divergence rule.</param>
    /// <param name="step">Takes the given (1-based) step and returns its result.</param>
    /// <exception cref="ArgumentOutOfRangeException">The progress interval is below 1 or the steps done are negative.</exception>
    public FittingLoop(FittingOptions options, Func<int, TResult> step)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(step);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.ProgressInterval, 1, nameof(options));
        ArgumentOutOfRangeException.ThrowIfNegative(options.StepsDone, nameof(options));
        ArgumentOutOfRangeException.ThrowIfNegative(options.CheckpointInterval, nameof(options));
        _options = options;
        _step = step;
    }

    /// <summary>The loss of a step's result, which the <see cref="FittingOptions.Divergence"/> rule judges.</summary>
    public Func<TResult, double>? Loss { get; init; }

    /// <summary>The early-stop rule: true ends the loop after the step (which is reported). Called once per step, in
    /// order, so it may keep state (e.g. steps since the best loss).</summary>
    public Func<TResult, bool>? StopWhen { get; init; }

    /// <summary>Receives the step and its result every <see cref="FittingOptions.ProgressInterval"/> steps, at the last
    /// step and when the loop stops early.</summary>
    public Action<int, TResult>? Report { get; init; }

    /// <summary>Runs after every step, after any report: the caller's bookkeeping, such as sample pictures.</summary>
    public Action<int, TResult>? Completed { get; init; }

    /// <summary>
    /// Writes the caller's resumable state after the given step: every <see cref="FittingOptions.CheckpointInterval"/>
    /// steps short of the last (the final state is the caller's to write), and, when the loop is cancelled, at the last
    /// step it finished unless a checkpoint (or <see cref="FittingOptions.StepsDone"/>) already holds it, so stopping a
    /// run loses no finished step. Runs after <see cref="Completed"/>; an exception it throws propagates (on cancellation,
    /// instead of the cancellation).
    /// </summary>
    public Action<int>? Checkpoint { get; init; }

    /// <summary>Runs when the loop sees a cancellation (before a step), after the cancellation's checkpoint, with the last
    /// step it finished (<see cref="FittingOptions.StepsDone"/> if it finished none), before the cancellation propagates.
    /// Not called when the loop ends normally (a cancellation during the last step lets it finish); an exception it throws
    /// propagates instead of the cancellation.</summary>
    public Action<int>? Cancelled { get; init; }

    /// <summary>Takes the steps.</summary>
    /// <param name="cancellationToken">Checked before every step.</param>
    /// <returns>The last step taken, whether the early-stop rule ended the loop, and the first step's result.</returns>
    /// <exception cref="OperationCanceledException">The loop was cancelled (between steps).</exception>
    /// <exception cref="FittingDivergedException">A step's loss was not finite under the divergence rule.</exception>
    /// <exception cref="InvalidOperationException">The divergence rule is set without <see cref="Loss"/>.</exception>
    public FittingOutcome<TResult> Run(CancellationToken cancellationToken)
    {
        var divergence = _options.Divergence;
        if (divergence is not null && Loss is null)
        {
            throw new InvalidOperationException("A divergence rule needs the loss of each step's result.");
        }

        TorchRuntime.ApplyThreads();

        var done = _options.StepsDone;
        var checkpointed = done;
        var last = _options.Steps;
        TResult? first = default;
        // Collections only between steps: TorchSharp's temporary Scalars must outlive the native calls reading them.
        using var fence = CollectionFence.Enter();
        for (var step = done + 1; step <= last; step++)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                if (Checkpoint is not null && done > checkpointed)
                {
                    Checkpoint(done);
                }

                Cancelled?.Invoke(done);
                cancellationToken.ThrowIfCancellationRequested();
            }

            fence.Checkpoint();
            var result = _step(step);
            if (step == _options.StepsDone + 1)
            {
                first = result;
            }

            if (divergence is not null && Loss!(result) is var loss && !double.IsFinite(loss))
            {
                throw divergence.Diverged(step, loss);
            }

            var stop = StopWhen?.Invoke(result) == true;
            if (step % _options.ProgressInterval == 0 || step == last || stop)
            {
                Report?.Invoke(step, result);
            }

            Completed?.Invoke(step, result);
            done = step;
            if (Checkpoint is not null && _options.CheckpointInterval > 0 && step % _options.CheckpointInterval == 0 && step < last)
            {
                Checkpoint(step);
                checkpointed = step;
            }

            if (stop)
            {
                return new FittingOutcome<TResult>(done, step < last, first);
            }
        }

        return new FittingOutcome<TResult>(done, false, first);
    }
}
