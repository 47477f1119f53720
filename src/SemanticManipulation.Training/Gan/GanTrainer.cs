using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SemanticManipulation.Checkpoints;
using SemanticManipulation.Generators;
using SemanticManipulation.Optimization;
using SemanticManipulation.Runtime;
using SemanticManipulation.Segmentation;
using SemanticManipulation.Training.Checkpointing;
using SemanticManipulation.Training.Data;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using SemanticManipulation.Diagnostics;

namespace SemanticManipulation.Training.Gan;

/// <summary>
/// Trains a ProGAN-family generator (the authors' layer layout and names, so every SDK code path is the one real
/// checkpoints use) against <see cref="ProGanDiscriminator"/>: non-saturating logistic loss, lazy R1 penalty on reals,
/// Adam (β1 = 0, β2 = 0.99), an exponential moving average of G's weights as the result. Trained directly at the
/// target resolution: at 64² progressive growing buys little and costs code paths. With a segmenter and a positive
/// <see cref="GanTrainingOptions.SemanticWeight"/>, a <see cref="SemanticDiscriminator"/> judges the segmenter's class
/// maps beside the pixel discriminator (same loss, its own R1 on the class maps), against dropped modes.
/// </summary>
/// <remarks>
/// Resumable: every <see cref="GanTrainingOptions.CheckpointInterval"/> steps, and when the run is cancelled, G, its
/// average, D and both optimisers are written to the checkpoint directory, each file atomically; a new run with the same
/// directory continues from there. Data, latents and the R1 schedule are drawn per step from seeds, so a run cancelled
/// and resumed draws what an uninterrupted one draws (and trains the same generator bit for bit on the same device and
/// thread count).
/// </remarks>
public sealed partial class GanTrainer(ILogger<GanTrainer>? logger = null)
{
    internal const string CheckpointName = "gan";
    private const string ResultFile = "generator.safetensors";
    // The finished generator's record of what made it: the steps it has had, and the options (JSON) and real images
    // (ITrainingImageSource.Description) of its last run.
    private const string StepsKey = "training_steps";
    private const string OptionsKey = "training_options";
    private const string DataKey = "training_data";
    private readonly ILogger _logger = logger ?? (ILogger)NullLogger.Instance;

    /// <summary>The finished generator in <paramref name="directory"/>, if training has completed there.</summary>
    public static string ResultPath(string directory) => Path.Combine(directory, ResultFile);

    /// <summary>Trains (or resumes) and writes the averaged generator to <see cref="ResultPath"/>.</summary>
    /// <param name="source">Real images.</param>
    /// <param name="options">Architecture and schedule.</param>
    /// <param name="directory">Where checkpoints and the result go.</param>
    /// <param name="progress">Receives a report every <see cref="GanTrainingOptions.ProgressInterval"/> steps.</param>
    /// <param name="cancellationToken">Checked before every step; a cancelled run checkpoints the steps it finished.</param>
    /// <returns>The path of the averaged generator.</returns>
    public string Train(ITrainingImageSource source, GanTrainingOptions options, string directory,
        IProgress<GanTrainingProgress>? progress = null, CancellationToken cancellationToken = default) =>
        Train(source, options, directory, null, progress, cancellationToken);

    /// <summary>Trains (or resumes) and writes the averaged generator to <see cref="ResultPath"/>.</summary>
    /// <param name="source">Real images.</param>
    /// <param name="options">Architecture and schedule.</param>
    /// <param name="directory">Where checkpoints and the result go.</param>
    /// <param name="segmenter">The frozen segmenter whose class maps the semantic discriminator judges; required when
    /// <see cref="GanTrainingOptions.SemanticWeight"/> is positive, unused otherwise.</param>
    /// <param name="progress">Receives a report every <see cref="GanTrainingOptions.ProgressInterval"/> steps.</param>
    /// <param name="cancellationToken">Checked before every step; a cancelled run checkpoints the steps it finished.</param>
    /// <returns>The path of the averaged generator.</returns>
    /// <exception cref="ArgumentException">The source's image size is not the generator's, or the semantic discriminator
    /// has no segmenter.</exception>
    /// <exception cref="CheckpointFormatException">The checkpoint in <paramref name="directory"/> cannot be resumed (damaged,
    /// or of another architecture; the message says what to delete).</exception>
    public string Train(ITrainingImageSource source, GanTrainingOptions options, string directory, ConvolutionalSegmenter? segmenter,
        IProgress<GanTrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrEmpty(directory);
        options.Validate();
        if (options.SemanticWeight > 0 && segmenter is null)
        {
            throw new ArgumentException("A positive SemanticWeight needs the segmenter whose class maps the semantic discriminator judges.", nameof(segmenter));
        }
        TorchRuntime.EnsureInitialized(_logger);
        var architecture = new ProGanArchitecture(options.LatentSize, options.BlockChannels);
        if (architecture.Resolution != source.Resolution)
        {
            throw new ArgumentException(
                $"The image source gives {source.Resolution}² images but {options.BlockChannels.Count} blocks make a {architecture.Resolution}² generator.");
        }

        Directory.CreateDirectory(directory);
        // Done when the result has had the steps asked for (as it records; for one made before generators recorded it,
        // the checkpoint's step, or done when there is no checkpoint): the final checkpoint is kept, so asking for more
        // steps later continues training where it ended instead of starting over. A damaged result is made again from
        // the checkpoint.
        (GanTrainingOptions Options, string? Data)? finished = null;
        var done = false;
        try
        {
            finished = TrainedWith(directory);
            done = File.Exists(ResultPath(directory))
                && (finished?.Options.Steps ?? TrainingCheckpoint.SavedStep(directory, CheckpointName) ?? int.MaxValue) >= options.Steps;
        }
        catch (CheckpointFormatException ex)
        {
            LogResultUnreadable(_logger, directory, ex.Message);
        }

        if (done)
        {
            if (finished is { } made && Differences(made, options, source) is { Count: > 0 } differences)
            {
                LogReusedWithOtherSettings(_logger, directory, made.Options.Steps, string.Join("; ", differences));
            }

            return ResultPath(directory);
        }

        using var generator = ProGanGenerator.Create(architecture, options.Seed);
        using var average = ProGanGenerator.Create(architecture, options.Seed);
        using var discriminator = new ProGanDiscriminator(options.BlockChannels, options.Seed + 1);
        using var judge = options.SemanticWeight > 0 ? new SemanticJudge(segmenter!, options, architecture.Resolution) : null;
        var g = generator.Network;
        foreach (var parameter in g.parameters())
        {
            parameter.requires_grad = true;
        }

        using var optimizerG = HeldScalarAdam.Create(g.parameters(), options.LearningRate, beta1: 0.0, beta2: 0.99);
        using var optimizerD = HeldScalarAdam.Create(discriminator.parameters(), options.LearningRate, beta1: 0.0, beta2: 0.99);
        var modules = new Dictionary<string, nn.Module> { ["G"] = g, ["G_ema"] = average.Network, ["D"] = discriminator };
        var optimizers = new Dictionary<string, OptimizerHelper> { ["g"] = optimizerG, ["d"] = optimizerD };
        judge?.AddTo(modules, optimizers);
        var start = TrainingCheckpoint.Load(directory, CheckpointName, modules, optimizers);
        if (start == 0)
        {
            CopyWeights(g, average.Network);
        }
        else
        {
            LogResumed(_logger, start, directory);
        }

        // A checkpoint's optimiser state carries the learning rate it was written with; the options decide it, so a
        // run can continue a finished one at a lower rate.
        foreach (var group in optimizers.Values.SelectMany(o => o.ParamGroups))
        {
            group.LearningRate = options.LearningRate;
        }

        var emaBeta = AverageBeta(options.BatchSize, options.EmaHalfLifeImages);
        var finalEmaBeta = options.FinalEmaHalfLifeImages is double finalHalfLife ? AverageBeta(options.BatchSize, finalHalfLife) : emaBeta;
        var clock = Stopwatch.StartNew();
        var window = Stopwatch.StartNew();
        double dSum = 0, gSum = 0;
        var windowSteps = 0;
        var optionsJson = JsonSerializer.Serialize(options);
        var checkpoints = new RunCheckpoints(directory, CheckpointName, modules, optimizers, optionsJson, _logger);
        new FittingLoop<(double D, double G)>(
            new FittingOptions { Steps = options.Steps, StepsDone = start, ProgressInterval = options.ProgressInterval, CheckpointInterval = options.CheckpointInterval },
            step =>
            {
                var losses = TrainStep(step, source, options, g, discriminator, optimizerG, optimizerD, judge);
                UpdateAverage(g, average.Network, step > options.FinalEmaStartStep ? finalEmaBeta : emaBeta);
                dSum += losses.D;
                gSum += losses.G;
                windowSteps++;
                return losses;
            })
        {
            Report = (step, _) =>
            {
                var report = new GanTrainingProgress(step, options.Steps, dSum / windowSteps, gSum / windowSteps,
                    window.Elapsed.TotalSeconds / windowSteps, clock.Elapsed);
                progress?.Report(report);
                LogProgress(_logger, step, options.Steps, report.DiscriminatorLoss, report.GeneratorLoss, report.SecondsPerStep);
                (dSum, gSum, windowSteps) = (0, 0, 0);
                window.Restart();
            },
            Completed = (step, _) =>
            {
                if (options.SampleInterval > 0 && (step % options.SampleInterval == 0 || step == options.Steps))
                {
                    SampleSheet.Write(average, Path.Combine(directory, "samples", $"step-{step:D6}.png"), options.Seed);
                }
            },
            Checkpoint = checkpoints.Save,
            Cancelled = checkpoints.OnCancelled,
        }.Run(cancellationToken);

        // The generator records what made it, for a later run that reuses it. A run that found every step already done
        // (the one before stopped after its last checkpoint) trained nothing: the checkpoint's options stand, and the
        // images that run read are not known.
        var record = new Dictionary<string, string>
        {
            [StepsKey] = Math.Max(start, options.Steps).ToString(System.Globalization.CultureInfo.InvariantCulture),
            [OptionsKey] = optionsJson,
            [DataKey] = source.Description,
        };
        if (start < options.Steps)
        {
            checkpoints.Save(options.Steps);
        }
        else
        {
            record[OptionsKey] = TrainingCheckpoint.SavedOptions(directory, CheckpointName) ?? optionsJson;
            record.Remove(DataKey);
        }

        average.Save(ResultPath(directory), record);
        return ResultPath(directory);
    }

    /// <summary>One discriminator and one generator update at (1-based) <paramref name="step"/>; returns both losses.</summary>
    private static (double D, double G) TrainStep(int step, ITrainingImageSource source, GanTrainingOptions options,
        ProGanNetwork g, ProGanDiscriminator d, OptimizerHelper optimizerG, OptimizerHelper optimizerD, SemanticJudge? judge)
    {
        using var scope = NewDisposeScope();
        // Seeds, batches and the R1 schedule count from 0 (step 1 draws index 0), so resumed runs draw what they always drew.
        long index = step - 1;
        using var noise = new Generator(0, CPU).manual_seed((options.Seed * 1_000_003) + index);
        var n = options.BatchSize;

        // Discriminator: real images up, generated ones down; every R1Interval steps, penalise its gradient on reals.
        var real = source.Batch(index, n);
        Tensor fake;
        using (no_grad())
        {
            fake = g.forward(randn([n, options.LatentSize], generator: noise));
        }

        optimizerD.zero_grad();
        judge?.ZeroGrad();
        var penalise = index % options.R1Interval == 0;
        var lossD = DiscriminatorLoss(d, real, fake, penalise, options);
        if (judge is not null)
        {
            lossD += judge.DiscriminatorLoss(real, fake, penalise, options);
        }

        GradientStep.Take(lossD, optimizerD, "GAN discriminator", step,
            [("the real batch", real), ("the generated batch", fake), .. NonFiniteWatch.Parameters("D", d),
             .. judge is null ? [] : NonFiniteWatch.Parameters("D_semantic", judge.Discriminator)]);
        judge?.Step();

        // Generator: make D score its images as real.
        optimizerG.zero_grad();
        Freeze(d, true);
        judge?.Freeze(true);
        var images = g.forward(randn([n, options.LatentSize], generator: noise));
        var lossG = nn.functional.softplus(-d.forward(images)).mean();
        if (judge is not null)
        {
            lossG += judge.GeneratorLoss(images);
        }

        GradientStep.Take(lossG, optimizerG, "GAN generator", step, [("the generated batch", images), .. NonFiniteWatch.Parameters("G", g)]);
        Freeze(d, false);
        judge?.Freeze(false);
        return (lossD.item<float>(), lossG.item<float>());
    }

    /// <summary>The non-saturating discriminator loss of <paramref name="critic"/> on one batch of real and generated
    /// inputs, plus (when <paramref name="penalise"/>) the lazy R1 penalty on the real ones, scaled by the interval.</summary>
    internal static Tensor DiscriminatorLoss(nn.Module<Tensor, Tensor> critic, Tensor real, Tensor fake, bool penalise, GanTrainingOptions options)
    {
        var loss = nn.functional.softplus(critic.forward(fake)).mean() + nn.functional.softplus(-critic.forward(real)).mean();
        if (penalise)
        {
            var probe = real.detach().requires_grad_(true);
            var scores = critic.forward(probe);
            var gradient = autograd.grad([scores.sum()], [probe], retain_graph: true, create_graph: true)[0];
            var r1 = gradient.Squared().sum([1, 2, 3]).mean();
            using Scalar r1Weight = options.R1Gamma / 2 * options.R1Interval;
            loss += r1Weight * r1;
        }

        return loss;
    }

    /// <summary>Stops (or restarts) gradients into a discriminator's weights while the generator steps.</summary>
    internal static void Freeze(nn.Module module, bool frozen)
    {
        foreach (var parameter in module.parameters())
        {
            parameter.requires_grad = !frozen;
        }
    }

    /// <summary>How much of the average one step keeps, for a half-life of <paramref name="halfLifeImages"/> images.</summary>
    private static double AverageBeta(int batchSize, double halfLifeImages) => Math.Pow(0.5, batchSize / Math.Max(1.0, halfLifeImages));

    private static void UpdateAverage(ProGanNetwork source, ProGanNetwork average, double beta)
    {
        using var noGrad = no_grad();

        // Explicit, held Scalars: TorchSharp 0.107 can finalize an implicit one while libtorch still reads it, and this
        // runs for every parameter at every step (it was the source of most "Unknown scalar type" crashes in training).
        using Scalar keep = beta;
        using Scalar take = 1 - beta;
        foreach (var ((_, live), (_, kept)) in source.named_parameters().Zip(average.named_parameters()))
        {
            kept.mul_(keep).add_(live, alpha: take);
        }
    }

    /// <summary>What the finished generator in <paramref name="directory"/> was last trained with: the options (their
    /// <see cref="GanTrainingOptions.Steps"/> the steps it has had) and the real images' description (null when not
    /// known). A generator made before generators recorded it is taken to be the checkpoint's (its step and options,
    /// images unknown). Null when there is no finished generator, or nothing says what made it.</summary>
    /// <exception cref="CheckpointFormatException">The generator file or the checkpoint is damaged.</exception>
    internal static (GanTrainingOptions Options, string? Data)? TrainedWith(string directory)
    {
        var path = ResultPath(directory);
        if (!File.Exists(path))
        {
            return null;
        }

        var metadata = SafeTensorsReader.ReadMetadata(path);
        if (metadata.TryGetValue(StepsKey, out var stepsText) && metadata.TryGetValue(OptionsKey, out var json))
        {
            return int.TryParse(stepsText, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var steps)
                && Options(json, steps) is { } trained
                ? (trained, metadata.GetValueOrDefault(DataKey))
                : null;
        }

        return TrainingCheckpoint.SavedStep(directory, CheckpointName) is int step
            && TrainingCheckpoint.SavedOptions(directory, CheckpointName) is { } saved
            && Options(saved, step) is { } options
            ? (options, null)
            : null;

        static GanTrainingOptions? Options(string json, int steps)
        {
            try
            {
                var options = JsonSerializer.Deserialize<GanTrainingOptions>(json);
                options?.Steps = steps;
                return options;
            }
            catch (JsonException)
            {
                return null;
            }
        }
    }

    /// <summary>What shapes a run's result, other than its length, in which the finished generator's record
    /// <paramref name="made"/> and this run differ, as "name X there, Y asked": the options (not the intervals of
    /// checkpoints, samples and progress) and, where recorded, the real images.</summary>
    private static List<string> Differences((GanTrainingOptions Options, string? Data) made, GanTrainingOptions wanted, ITrainingImageSource source)
    {
        var trained = made.Options;
        string[] unshaping = [nameof(GanTrainingOptions.Steps), nameof(GanTrainingOptions.CheckpointInterval), nameof(GanTrainingOptions.SampleInterval),
            nameof(GanTrainingOptions.ProgressInterval)];
        var before = JsonSerializer.SerializeToNode(trained)!.AsObject();
        var now = JsonSerializer.SerializeToNode(wanted)!.AsObject();
        return [.. now.Where(p => !unshaping.Contains(p.Key) && !System.Text.Json.Nodes.JsonNode.DeepEquals(p.Value, before[p.Key]))
            .Select(p => $"{p.Key} {before[p.Key]?.ToJsonString() ?? "(none)"} there, {p.Value?.ToJsonString() ?? "(none)"} asked"),
            .. made.Data is { } data && data != source.Description ? [$"images «{data}» there, «{source.Description}» asked"] : Array.Empty<string>()];
    }

    private static void CopyWeights(ProGanNetwork source, ProGanNetwork target)
    {
        using var noGrad = no_grad();
        foreach (var ((_, from), (_, to)) in source.named_parameters().Zip(target.named_parameters()))
        {
            to.copy_(from);
        }
    }

    [LoggerMessage(EventId = 203, Level = LogLevel.Warning, Message = "The finished GAN in {Directory} cannot be read ({Error}); training resumes from its checkpoint to make it again")]
    private static partial void LogResultUnreadable(ILogger logger, string directory, string error);

    [LoggerMessage(EventId = 202, Level = LogLevel.Warning,
        Message = "The finished GAN in {Directory} ({Steps} steps) was trained with other settings than this run's ({Differences}) and is reused as it is; " +
            "ask for more steps to continue it with this run's settings, or delete the folder to train it again")]
    private static partial void LogReusedWithOtherSettings(ILogger logger, string directory, int steps, string differences);

    [LoggerMessage(EventId = 200, Level = LogLevel.Information, Message = "Resuming GAN training at step {Step} from {Directory}")]
    private static partial void LogResumed(ILogger logger, int step, string directory);

    [LoggerMessage(EventId = 201, Level = LogLevel.Information,
        Message = "GAN step {Step}/{Steps}: D {DiscriminatorLoss:F3}, G {GeneratorLoss:F3}, {SecondsPerStep:F3} s/step")]
    private static partial void LogProgress(ILogger logger, int step, int steps, double discriminatorLoss, double generatorLoss, double secondsPerStep);
}
