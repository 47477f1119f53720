namespace SemanticManipulation.Optimization;

/// <summary>Which steps a <see cref="FittingLoop{TResult}"/> takes, how often it reports, and whether a non-finite loss
/// stops it.</summary>
public sealed record FittingOptions
{
    /// <summary>The last step, 1-based: the loop takes steps <see cref="StepsDone"/> + 1 to this.</summary>
    public required int Steps { get; init; }

    /// <summary>Steps already taken (by a run this one resumes); 0 for a fresh run.</summary>
    public int StepsDone { get; init; }

    /// <summary>Progress is reported every this many steps, at the last step and at an early stop.</summary>
    public int ProgressInterval { get; init; } = 1;

    /// <summary>The loop's <see cref="FittingLoop{TResult}.Checkpoint"/> runs every this many steps short of the last
    /// (and when the loop is cancelled); 0: only when cancelled.</summary>
    public int CheckpointInterval { get; init; }

    /// <summary>What a non-finite loss means; null when the loop goes on regardless (the step's own bookkeeping
    /// decides).</summary>
    public DivergenceRule? Divergence { get; init; }
}
