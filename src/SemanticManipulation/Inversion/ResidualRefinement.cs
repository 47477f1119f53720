using System.Diagnostics;
using Microsoft.Extensions.Logging;
using SemanticManipulation.Diagnostics;
using SemanticManipulation.Metrics;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SemanticManipulation.Inversion;

/// <summary>
/// Per-image refinement (the authors' <c>optimize_residuals</c>): zero-initialised additive residuals d_i on the
/// outputs of the early layers, applied through G_H's layer hook, fitted with Adam so that G_F(G_H(z; d)) matches the
/// photo: <c>mean|x − x̂| + w·mean|φ(x) − φ(x̂)| + λ·Σ_i mean(d_i²)</c>. G itself is never changed.
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
        using var scope = NewDisposeScope();
        var residuals = new Dictionary<string, Parameter>(StringComparer.Ordinal);
        foreach (var layer in layers)
        {
            var shape = early.Shapes[early.IndexOf(layer)];
            residuals[layer] = new Parameter(zeros(shape.ToTensorShape(), device: generator.Device), requires_grad: true);
        }

        Tensor Hook(string name, Tensor output)
        {
            // A fresh handle even when nothing is added: the forward pass owns (and may move) what the hook returns.
            var h = name == start.ReplacedLayer ? start.ReplacedOutput!.alias() : output;
            return residuals.TryGetValue(name, out var d) ? h + d : h;
        }

        var useFeatures = featureLoss is not null && options.FeatureLossWeight > 0;
        Tensor? photoFeatures = null;
        if (useFeatures)
        {
            using var noGrad = no_grad();
            photoFeatures = featureLoss!.Features(photo);
        }

        double initialPsnr = double.NaN;
        var stoppedEarly = false;
        var steps = 0;
        var bestLoss = double.PositiveInfinity;
        var sinceBest = 0;
        using (var optimizer = optim.Adam(residuals.Values, options.LearningRate))
        {
            for (var step = 1; step <= options.Steps; step++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                using var stepScope = NewDisposeScope();
                foreach (var group in optimizer.ParamGroups)
                {
                    group.LearningRate = options.LearningRateAt(step - 1);
                }

                optimizer.zero_grad();
                var reconstruction = generator.Late(generator.Early(start.Latent, Hook));
                var loss = (reconstruction - photo).abs().mean();
                if (useFeatures)
                {
                    loss += options.FeatureLossWeight * featureLoss!.Distance(featureLoss.Features(reconstruction), photoFeatures!);
                }

                if (options.ResidualPenalty > 0)
                {
                    loss += options.ResidualPenalty * residuals.Values.Select(d => d.square().mean()).Aggregate((a, b) => a + b);
                }

                loss.backward();
                optimizer.step();
                steps = step;

                // PSNR of the reconstruction this step's gradient came from (step 1: the starting guess's).
                var psnr = ImageMetrics.Psnr(reconstruction, photo);
                if (step == 1)
                {
                    initialPsnr = psnr;
                }

                var lossValue = loss.item<float>();
                if (!float.IsFinite(lossValue))
                {
                    throw new InvalidOperationException(
                        $"Inversion diverged at step {step} (loss {lossValue}); lower the learning rate ({options.LearningRate}).");
                }

                if (lossValue < bestLoss * (1 - 1e-4))
                {
                    bestLoss = lossValue;
                    sinceBest = 0;
                }
                else
                {
                    sinceBest++;
                }

                var reached = options.TargetPsnrDb is double target && psnr >= target;
                var stalled = options.Patience is int patience && sinceBest >= patience;
                if (step % options.ProgressInterval == 0 || step == options.Steps || reached || stalled)
                {
                    progress?.Report(new InversionProgress(step, options.Steps, lossValue, psnr, clock.Elapsed));
                    Log.InversionStep(logger, step, options.Steps, lossValue, psnr);
                }

                if (reached || stalled)
                {
                    stoppedEarly = step < options.Steps;
                    break;
                }
            }
        }

        using (no_grad())
        {
            var representation = generator.Early(start.Latent, Hook);
            var final = generator.Late(representation);
            return new RefinementOutcome(representation.MoveToOuterDisposeScope(), final.MoveToOuterDisposeScope(), steps, initialPsnr, stoppedEarly);
        }
    }
}
