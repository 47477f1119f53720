using System.Diagnostics;
using Microsoft.Extensions.Logging;
using SemanticManipulation.Diagnostics;
using SemanticManipulation.Metrics;
using SemanticManipulation.Optimization;
using TorchSharp;
using static TorchSharp.torch;

namespace SemanticManipulation.Inversion;

/// <summary>
/// Per-image refinement (the authors' <c>optimize_residuals</c>): runs a <see cref="RefinementLoop"/> for the step
/// budget with early stopping, progress and cancellation. G itself is never changed.
/// </summary>
internal static class ResidualRefinement
{
    /// <summary>The residual layers for a start: the requested ones (default: every layer before the split) at or after
    /// the replaced layer; the split layer itself when none is left (e.g. starting from r̂).</summary>
    public static IReadOnlyList<string> ResidualLayers(EarlyLayers early, RefinementStart start, IReadOnlyList<string>? requested)
    {
        var layers = requested ?? early.Names.Take(early.Names.Count - 1).ToArray();
        foreach (var layer in layers)
        {
            if (early.IndexOf(layer) < 0)
            {
                throw new ArgumentException(
                    $"Residual layer '{layer}' is not one of the generator's early layers ({string.Join(", ", early.Names)}).", nameof(requested));
            }
        }

        var from = start.ReplacedLayer is null ? 0 : early.IndexOf(start.ReplacedLayer);
        var kept = layers.Where(l => early.IndexOf(l) >= from).Distinct().OrderBy(early.IndexOf).ToArray();
        return kept.Length > 0 ? kept : [early.Names[^1]];
    }

    /// <summary>Runs refinement. Every tensor it creates is freed on return or on an exception, except the outcome's,
    /// which belong to the caller's dispose scope.</summary>
    public static RefinementOutcome Run(
        ILayerSplitGenerator generator,
        EarlyLayers early,
        Tensor photo,
        RefinementStart start,
        IReadOnlyList<string> layers,
        IFeatureLoss? featureLoss,
        InversionOptions options,
        IProgress<InversionProgress>? progress,
        ILogger logger,
        Stopwatch clock,
        CancellationToken cancellationToken)
    {
        using var loop = new RefinementLoop(generator, early, photo, start, layers, featureLoss, options);
        var bestLoss = double.PositiveInfinity;
        var sinceBest = 0;
        var fitting = new FittingOptions
        {
            Steps = options.Steps,
            ProgressInterval = options.ProgressInterval,
            Divergence = new DivergenceRule("Inversion", options.LearningRate),
        };
        var outcome = new FittingLoop<(double Loss, double PsnrDb)>(fitting, loop.Step)
        {
            Loss = result => result.Loss,
            StopWhen = result =>
            {
                if (result.Loss < bestLoss * (1 - 1e-4))
                {
                    bestLoss = result.Loss;
                    sinceBest = 0;
                }
                else
                {
                    sinceBest++;
                }

                var reached = options.TargetPsnrDb is double target && result.PsnrDb >= target;
                var stalled = options.Patience is int patience && sinceBest >= patience;
                return reached || stalled;
            },
            Report = (step, result) =>
            {
                progress?.Report(new InversionProgress(step, options.Steps, result.Loss, result.PsnrDb, clock.Elapsed));
                Log.InversionStep(logger, step, options.Steps, result.Loss, result.PsnrDb);
            },
        }.Run(cancellationToken);

        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var representation = loop.Representation();
        var final = generator.Late(representation);
        return new RefinementOutcome(representation.MoveToOuterDisposeScope(), final.MoveToOuterDisposeScope(), outcome.StepsDone, outcome.First.PsnrDb, outcome.StoppedEarly);
    }
}
