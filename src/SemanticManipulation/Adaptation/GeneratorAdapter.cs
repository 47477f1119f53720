using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SemanticManipulation.Diagnostics;
using SemanticManipulation.Metrics;
using SemanticManipulation.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace SemanticManipulation.Adaptation;

/// <summary>
/// Fits an image-specific generator G' to a photo (the paper's section 3.3): G_H untouched, G_F's features perturbed
/// by δ from a perturbation network, trained so that the unedited pixels match the photo:
/// <c>mean|(G'(r_e) − x)·keep| + λ·Σ_i mean(δ_i²)</c>, <c>keep = 1 − blur_σ(dilate_d(edit))</c>.
/// </summary>
public sealed class GeneratorAdapter
{
    private readonly IPerturbationNetworkFactory _factory;
    private readonly ILogger _logger;

    /// <summary>Creates the adapter.</summary>
    /// <param name="factory">Creates the perturbation for each fit; null for the built-in R and free δ.</param>
    /// <param name="logger">Receives the start, periodic progress and outcome of each fit.</param>
    public GeneratorAdapter(IPerturbationNetworkFactory? factory = null, ILogger<GeneratorAdapter>? logger = null)
    {
        _factory = factory ?? new PerturbationNetworkFactory();
        _logger = logger ?? (ILogger)NullLogger.Instance;
    }

    /// <summary>Fits G' with the default options.</summary>
    public AdaptedGenerator Fit(ILayerSplitGenerator generator, AdaptationTarget target) =>
        Fit(generator, target, new AdaptationOptions(), progress: null, CancellationToken.None);

    /// <summary>Fits G' to <paramref name="target"/>.</summary>
    /// <param name="generator">The generator; its weights are not changed.</param>
    /// <param name="target">Photo, representation, and optionally the edit.</param>
    /// <param name="options">Fitting options; null for the defaults.</param>
    /// <param name="progress">Receives a report every <see cref="AdaptationOptions.ProgressInterval"/> steps.</param>
    /// <param name="cancellationToken">Checked before every step; cancellation frees everything and returns nothing.</param>
    /// <returns>The fitted G', owning its perturbation and copies of the photo and representation.</returns>
    /// <exception cref="ArgumentException">An input has the wrong shape or holds NaN/∞, or the mask is outside [0, 1].</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range (e.g. steps ≤ 0).</exception>
    /// <exception cref="OperationCanceledException">The fit was cancelled.</exception>
    public AdaptedGenerator Fit(
        ILayerSplitGenerator generator,
        AdaptationTarget target,
        AdaptationOptions? options,
        IProgress<AdaptationProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(generator);
        ArgumentNullException.ThrowIfNull(target);
        TorchRuntime.EnsureInitialized();
        options = (options ?? new AdaptationOptions()).Clone();
        options.Validate();
        AdaptationInputs.Validate(generator, target);
        cancellationToken.ThrowIfCancellationRequested();

        var resolution = generator.Resolution;
        var device = generator.Device;
        var clock = Stopwatch.StartNew();
        Log.AdaptationStarted(_logger, options.Kind, options.Mode, options.Steps, resolution, generator.PerturbationPoints.Count);

        // Created before the scope: the perturbation outlives the fit inside the returned G'.
        IPerturbationNetwork? perturbation = _factory.Create(generator, options.Kind, options.Seed);
        try
        {
            using var scope = NewDisposeScope();
            var photo = target.Photo.detach().to(ScalarType.Float32).to(device);
            var edited = (target.EditedRepresentation ?? target.Representation).detach().to(ScalarType.Float32).to(device);
            var keep = KeepMask.Compute(target.EditMask, resolution, options.DilationAt(resolution), options.BlurSigmaAt(resolution), device);

            double psnrBefore = double.NaN, psnrLatest = double.NaN;
            var stoppedEarly = false;
            var steps = 0;
            using (var optimizer = optim.Adam(perturbation.TrainableParameters(), options.LearningRate))
            {
                for (var step = 1; step <= options.Steps; step++)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    using var stepScope = NewDisposeScope();
                    optimizer.zero_grad();
                    var deltas = perturbation.Compute();
                    var output = generator.Late(edited, PerturbationHook.Create(deltas, options.Mode));
                    var reconstruction = ((output - photo).abs() * keep).mean();
                    var penalty = deltas.Values.Select(d => d.square().mean()).Aggregate((a, b) => a + b);
                    var loss = reconstruction + (options.DeltaPenalty * penalty);
                    loss.backward();
                    optimizer.step();
                    steps = step;

                    // PSNR of the output this step's gradient came from (step 1: the un-adapted G, since δ starts at 0).
                    psnrLatest = ImageMetrics.Psnr(output, photo, keep);
                    if (step == 1)
                    {
                        psnrBefore = psnrLatest;
                    }

                    var lossValue = loss.item<float>();
                    if (!float.IsFinite(lossValue))
                    {
                        throw new InvalidOperationException(
                            $"Adaptation diverged at step {step} (loss {lossValue}); lower the learning rate ({options.LearningRate}).");
                    }

                    var reached = options.TargetKeptPsnrDb is double target_ && psnrLatest >= target_;
                    if (step % options.ProgressInterval == 0 || step == options.Steps || reached)
                    {
                        progress?.Report(new AdaptationProgress(step, options.Steps, lossValue, psnrLatest, clock.Elapsed));
                        Log.AdaptationStep(_logger, step, options.Steps, lossValue, psnrLatest);
                    }

                    if (reached)
                    {
                        stoppedEarly = step < options.Steps;
                        break;
                    }
                }
            }

            double psnrAfter;
            using (no_grad())
            {
                var final = generator.Late(edited, PerturbationHook.Create(perturbation.Compute(), options.Mode));
                psnrAfter = ImageMetrics.Psnr(final, photo, keep);
            }

            var metrics = new AdaptationMetrics(psnrBefore, psnrAfter, steps, clock.Elapsed.TotalSeconds, stoppedEarly);
            Log.AdaptationFinished(_logger, steps, metrics.Seconds, psnrBefore, psnrAfter);
            var adapted = new AdaptedGenerator(generator, perturbation, options, metrics,
                photo.detach().clone().DetachFromDisposeScope(),
                target.Representation.detach().to(ScalarType.Float32).to(device).clone().DetachFromDisposeScope(),
                target.EditMask?.detach().to(ScalarType.Float32).to(device).clone().DetachFromDisposeScope());
            perturbation = null;
            return adapted;
        }
        finally
        {
            perturbation?.Dispose();
        }
    }
}
