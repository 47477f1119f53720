using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SemanticManipulation.Diagnostics;
using SemanticManipulation.Optimization;
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
    /// <exception cref="ArgumentException">The photo or mask is not at the generator's resolution, or the representation has
    /// the wrong shape or holds NaN/∞.</exception>
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
        var clock = Stopwatch.StartNew();
        var perturbation = _factory.Create(generator, options.Kind, options.Seed);
        var schedule = options.ScheduleFor(perturbation);
        Log.AdaptationStarted(_logger, options.Kind, options.Mode, options.Steps, resolution, generator.PerturbationPoints.Count, options.LearningRate, schedule);
        AdaptationLoop loop;
        try
        {
            loop = new AdaptationLoop(generator, perturbation, target, options);
        }
        catch
        {
            perturbation.Dispose();
            throw;
        }

        using var ownedLoop = loop;
        var fitting = new FittingOptions
        {
            Steps = options.Steps,
            ProgressInterval = options.ProgressInterval,
            Divergence = new DivergenceRule("Adaptation", options.LearningRate),
        };
        // The PSNR is measured where it is used: the first step (the un-adapted generator), the reported steps, the last,
        // and every step when a target may stop the fit.
        bool Measured(int step) => options.TargetKeptPsnrDb is not null || step == 1 || step % options.ProgressInterval == 0 || step == options.Steps;
        // The target is checked on the output a step computes, before its update: the step that finds it reached leaves
        // G' as measured, so the fit never returns a state one update past the PSNR it stopped on.
        var outcome = new FittingLoop<(double Loss, double KeptPsnrDb)>(fitting, step => loop.Step(Measured(step), options.TargetKeptPsnrDb))
        {
            Loss = result => result.Loss,
            StopWhen = result => options.TargetKeptPsnrDb is double target && result.KeptPsnrDb >= target,
            Report = (step, result) =>
            {
                progress?.Report(new AdaptationProgress(step, options.Steps, result.Loss, result.KeptPsnrDb, clock.Elapsed));
                Log.AdaptationStep(_logger, step, options.Steps, result.Loss, result.KeptPsnrDb);
            },
        }.Run(cancellationToken);

        // The first step's PSNR is the un-adapted generator's: δ starts at 0.
        var psnrBefore = outcome.First.KeptPsnrDb;
        var psnrAfter = loop.MeasureKeptPsnr();
        var metrics = new AdaptationMetrics(psnrBefore, psnrAfter, outcome.StepsDone, clock.Elapsed.TotalSeconds, outcome.StoppedEarly);
        Log.AdaptationFinished(_logger, outcome.StepsDone, metrics.Seconds, psnrBefore, psnrAfter);
        using var scope = NewDisposeScope();
        var device = generator.Device;
        var photo = target.Photo.Tensor.to(device).clone().DetachFromDisposeScope();
        var representation = target.Representation.detach().to(ScalarType.Float32).to(device).clone().DetachFromDisposeScope();
        var mask = target.EditMask?.ToTensor(device).DetachFromDisposeScope();
        var keep = loop.Keep.clone().DetachFromDisposeScope();
        return new AdaptedGenerator(generator, loop.Release(), options, metrics, photo, representation, mask, keep);
    }
}
