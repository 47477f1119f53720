using SemanticManipulation.Imaging;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SemanticManipulation.Diagnostics;
using SemanticManipulation.Metrics;
using SemanticManipulation.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace SemanticManipulation.Inversion;

/// <summary>
/// Inverts photos as the authors do: a first guess, then per-image refinement of additive residuals with the loss
/// <c>mean|x − G(…)| + mean|φ(x) − φ(G(…))| + Σ mean(d²)</c>, φ being the feature loss (pixel-only without one).
/// </summary>
/// <remarks>
/// The guess is the encoder's when one fits the generator, else the mean representation's (<see cref="InversionStart"/>).
/// Each offers two: a latent (ẑ, or the latent nearest the mean r̄), refined the authors' way by residuals on the
/// outputs of the layers before the split; and a representation (r̂, or r̄) at the split layer, refined by a residual
/// on it. The one whose reconstruction has the lower loss is refined: a briefly trained encoder's r̂ is often better
/// than its ẑ, which must pass through every inverter.
/// </remarks>
/// <example>
/// <code>
/// using var phi = ResNet18FeatureLoss.Load();
/// var inverter = new ImageInverter(encoder, phi);
/// using var inverted = inverter.Invert(generator, photo, new InversionOptions { Steps = 200 });
/// // inverted.Representation is r*; edit it, then adapt G' and render.
/// </code>
/// </example>
public sealed class ImageInverter : IImageInverter
{
    private readonly IRepresentationEncoder? _encoder;
    private readonly IFeatureLoss? _featureLoss;
    private readonly ILogger _logger;

    /// <summary>Creates the inverter.</summary>
    /// <param name="encoder">The encoder E for the first guess; null to start from the mean representation r̄ (or the latent
    /// nearest it, whichever reconstructs the photo better).</param>
    /// <param name="featureLoss">φ for the feature loss and the perceptual distance; null to invert pixel-only.</param>
    /// <param name="logger">Receives the start, periodic progress and outcome of each inversion.</param>
    public ImageInverter(IRepresentationEncoder? encoder = null, IFeatureLoss? featureLoss = null, ILogger<ImageInverter>? logger = null)
    {
        _encoder = encoder;
        _featureLoss = featureLoss;
        _logger = logger ?? (ILogger)NullLogger.Instance;
    }

    /// <inheritdoc />
    public InversionResult Invert(
        ILayerSplitGenerator generator,
        ModelPhoto photo,
        InversionOptions? options = null,
        IProgress<InversionProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(generator);
        ArgumentNullException.ThrowIfNull(photo);
        TorchRuntime.EnsureInitialized();
        options = (options ?? new InversionOptions()).Clone();
        options.Validate();
        photo.ThrowIfNotResolution(generator.Resolution);
        cancellationToken.ThrowIfCancellationRequested();

        var clock = Stopwatch.StartNew();
        using var scope = NewDisposeScope();
        var early = EarlyLayers.Probe(generator);
        var x = photo.Tensor.to(generator.Device);
        var start = ChooseStart(generator, x, options);
        var layers = ResidualRefinement.ResidualLayers(early, start, options.ResidualLayers);
        var usesFeatures = _featureLoss is not null && options.FeatureLossWeight > 0;
        var layerList = string.Join(", ", layers);
        Log.InversionStarted(_logger, generator.Resolution, start.Kind, options.Steps, layerList,
            usesFeatures ? _featureLoss!.Name : "none (pixel-only)");

        var outcome = ResidualRefinement.Run(generator, early, x, start, layers, _featureLoss, options, progress, _logger, clock, cancellationToken);

        var psnr = ImageMetrics.Psnr(outcome.Reconstruction, x);
        var ssim = ImageMetrics.Ssim(outcome.Reconstruction, x);
        var perceptual = _featureLoss is null ? double.NaN : ImageMetrics.PerceptualDistance(_featureLoss, outcome.Reconstruction, x);
        var metrics = new InversionMetrics(outcome.InitialPsnrDb, psnr, ssim, perceptual, outcome.Steps, clock.Elapsed.TotalSeconds,
            outcome.StoppedEarly, start.Kind, start.Guess);
        Log.InversionFinished(_logger, outcome.Steps, metrics.Seconds, outcome.InitialPsnrDb, psnr, ssim);
        return new InversionResult(
            outcome.Representation.DetachFromDisposeScope(),
            start.Guess == StartGuess.Latent ? start.Latent.clone().DetachFromDisposeScope() : null,
            outcome.Reconstruction.DetachFromDisposeScope(),
            metrics);
    }

    private RefinementStart ChooseStart(ILayerSplitGenerator generator, Tensor photo, InversionOptions options)
    {
        var useEncoder = options.Start switch
        {
            InversionStart.Mean => false,
            InversionStart.Encoder => _encoder is not null && Fits(_encoder, generator)
                ? true
                : throw new ArgumentException(_encoder is null
                    ? "InversionStart.Encoder needs an encoder; this inverter was created without one."
                    : $"The encoder (r {_encoder.RepresentationShape} from {_encoder.Resolution}×{_encoder.Resolution} images, z of {_encoder.LatentSize}) " +
                      $"was not made for this generator (r {generator.RepresentationShape} at {generator.SplitLayer} from " +
                      $"{generator.Resolution}×{generator.Resolution} images, z of {generator.LatentSize})."),
            _ => _encoder is not null && Fits(_encoder, generator),
        };
        if (options.Start == InversionStart.Auto && _encoder is not null && !useEncoder && _logger.IsEnabled(LogLevel.Warning))
        {
            Log.EncoderDoesNotFit(_logger, _encoder.RepresentationShape.ToString(), _encoder.Resolution,
                generator.RepresentationShape.ToString(), generator.Resolution);
        }

        var placeholder = zeros(1, generator.LatentSize, device: generator.Device);
        var candidates = new List<RefinementStart>();
        if (useEncoder)
        {
            using var prediction = _encoder!.Encode(photo);
            if (prediction.Latent is not null)
            {
                candidates.Add(new RefinementStart(InversionStart.Encoder, StartGuess.Latent, prediction.Latent.to(generator.Device).clone(), null, null));
            }

            candidates.Add(new RefinementStart(InversionStart.Encoder, StartGuess.Representation, placeholder, generator.SplitLayer,
                prediction.Representation.to(generator.Device).clone()));
        }
        else
        {
            var (latent, representation) = MeanGuesses(generator, options);
            candidates.Add(new RefinementStart(InversionStart.Mean, StartGuess.Latent, latent, null, null));
            candidates.Add(new RefinementStart(InversionStart.Mean, StartGuess.Representation, placeholder, generator.SplitLayer, representation));
        }

        return candidates.Count == 1 ? candidates[0] : candidates.MinBy(c => InitialLoss(generator, photo, c, options))!;
    }

    /// <summary>The loss (without the zero residuals' penalty) of a start's reconstruction: how good a guess it is.</summary>
    private double InitialLoss(ILayerSplitGenerator generator, Tensor photo, RefinementStart start, InversionOptions options)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var reconstruction = generator.Late(generator.Early(start.Latent, (name, output) => name == start.ReplacedLayer ? start.ReplacedOutput!.alias() : output));
        var loss = (reconstruction - photo).abs().mean();
        if (_featureLoss is not null && options.FeatureLossWeight > 0)
        {
            loss += options.FeatureLossWeight * _featureLoss.Distance(_featureLoss.Features(reconstruction), _featureLoss.Features(photo));
        }

        return loss.item<float>();
    }

    /// <summary>
    /// The guesses without an encoder. Of <see cref="InversionOptions.MeanSamples"/> seeded random latents: their mean
    /// representation r̄, and the latent whose representation is nearest r̄ (the most "average" image the generator
    /// makes from a latent).
    /// </summary>
    private static (Tensor Latent, Tensor Representation) MeanGuesses(ILayerSplitGenerator generator, InversionOptions options)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        using var random = new Generator(0, CPU).manual_seed(options.Seed);
        var latents = randn(options.MeanSamples, generator.LatentSize, generator: random).to(generator.Device);
        var representations = generator.Early(latents);
        var mean = representations.mean([0], keepdim: true);
        var nearest = (representations - mean).square().flatten(1).mean([1]).argmin().item<long>();
        return (latents[nearest].unsqueeze(0).clone().MoveToOuterDisposeScope(), mean.MoveToOuterDisposeScope());
    }

    private static bool Fits(IRepresentationEncoder encoder, ILayerSplitGenerator generator) =>
        encoder.Resolution == generator.Resolution && encoder.RepresentationShape == generator.RepresentationShape
        && (encoder.LatentSize == 0 || encoder.LatentSize == generator.LatentSize);
}
