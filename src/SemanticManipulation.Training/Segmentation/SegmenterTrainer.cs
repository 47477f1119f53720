using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SemanticManipulation.Optimization;
using SemanticManipulation.Runtime;
using SemanticManipulation.Segmentation;
using SemanticManipulation.Training.Checkpointing;
using SemanticManipulation.Training.Data;
using SemanticManipulation.Training.World;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using SemanticManipulation.Diagnostics;

namespace SemanticManipulation.Training.Segmentation;

/// <summary>
/// Trains the scene segmenter on the world's exact label maps (its own seed range, disjoint from the GAN's), with
/// class-balanced cross-entropy (small parts such as doors and windows count), input noise for robustness to GAN
/// images, and a cosine learning-rate decay. Resumable like every training stage, checkpointing at its interval and when
/// cancelled.
/// </summary>
public sealed partial class SegmenterTrainer(ILogger<SegmenterTrainer>? logger = null)
{
    internal const string CheckpointName = "segmenter";
    private const string ResultFile = "segmenter.safetensors";
    private const int FrequencySample = 256;
    private readonly ILogger _logger = logger ?? (ILogger)NullLogger.Instance;

    /// <summary>Where the trained segmenter is written in <paramref name="directory"/>.</summary>
    public static string ResultPath(string directory) => Path.Combine(directory, ResultFile);

    /// <summary>Trains (or resumes) and writes the segmenter to <see cref="ResultPath"/>.</summary>
    public string Train(SceneWorld world, SegmenterTrainingOptions options, string directory,
        IProgress<SegmenterTrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(world);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrEmpty(directory);
        options.Validate();
        TorchRuntime.EnsureInitialized(_logger);
        Directory.CreateDirectory(directory);
        if (File.Exists(ResultPath(directory)) && !TrainingCheckpoint.Exists(directory, CheckpointName))
        {
            return ResultPath(directory);
        }

        using var segmenter = ConvolutionalSegmenter.Create(SceneLabels.Names, options.Width, options.Depth, options.Seed);
        var network = segmenter.Network;
        using var optimizer = HeldScalarAdam.Create(network.parameters(), options.LearningRate);
        var modules = new Dictionary<string, nn.Module> { ["net"] = network };
        var optimizers = new Dictionary<string, OptimizerHelper> { ["adam"] = optimizer };
        var start = TrainingCheckpoint.Load(directory, CheckpointName, modules, optimizers);
        using var weights = ClassWeights(world, options.Resolution);

        var clock = Stopwatch.StartNew();
        double lossSum = 0, accuracySum = 0;
        var window = 0;
        network.train();
        var checkpoints = new RunCheckpoints(directory, CheckpointName, modules, optimizers, JsonSerializer.Serialize(options), _logger);
        new FittingLoop<(double Loss, double Accuracy)>(
            new FittingOptions { Steps = options.Steps, StepsDone = start, ProgressInterval = options.ProgressInterval, CheckpointInterval = options.CheckpointInterval },
            step =>
            {
                SetLearningRate(optimizer, options, step - 1);
                var result = TrainStep(world, options, network, optimizer, weights, step);
                lossSum += result.Loss;
                accuracySum += result.Accuracy;
                window++;
                return result;
            })
        {
            Report = (step, _) =>
            {
                var report = new SegmenterTrainingProgress(step, options.Steps, lossSum / window, accuracySum / window, clock.Elapsed);
                progress?.Report(report);
                LogProgress(_logger, step, options.Steps, report.Loss, report.PixelAccuracy);
                (lossSum, accuracySum, window) = (0, 0, 0);
            },
            Checkpoint = checkpoints.Save,
            Cancelled = checkpoints.OnCancelled,
        }.Run(cancellationToken);

        network.eval();
        segmenter.Save(ResultPath(directory));
        TrainingCheckpoint.Delete(directory, CheckpointName, optimizers.Keys);
        return ResultPath(directory);
    }

    /// <summary>One update at (1-based) <paramref name="step"/>; returns the loss and the batch's pixel accuracy.</summary>
    private static (double Loss, double Accuracy) TrainStep(SceneWorld world, SegmenterTrainingOptions options, SegmenterNetwork network,
        OptimizerHelper optimizer, Tensor weights, int step)
    {
        using var scope = NewDisposeScope();
        // Batches and noise count from 0 (step 1 draws index 0), so resumed runs draw what they always drew.
        var index = step - 1;
        using var batch = world.RenderBatch(WorldSeeds.Segmenter((long)index * options.BatchSize), options.BatchSize, options.Resolution);
        using var random = new Generator(0, CPU).manual_seed((options.Seed * 7919) + index);
        var sigma = rand([options.BatchSize, 1, 1, 1], generator: random) * options.MaxInputNoise;
        var images = batch.Images + (randn(batch.Images.shape, generator: random) * sigma);
        optimizer.zero_grad();
        var logits = network.forward(images);
        var loss = nn.functional.cross_entropy(logits, batch.Labels, weight: weights);
        GradientStep.Take(loss, optimizer, "Segmenter training", step, [("the logits", logits), .. NonFiniteWatch.Parameters("segmenter", network)]);
        using var noGrad = no_grad();
        var accuracy = logits.argmax(1).eq(batch.Labels).to(ScalarType.Float32).mean().item<float>();
        return (loss.item<float>(), accuracy);
    }

    /// <summary>Cosine decay from the peak rate to 5% of it over the run.</summary>
    private static void SetLearningRate(OptimizerHelper optimizer, SegmenterTrainingOptions options, int step)
    {
        var progress = (double)step / options.Steps;
        var rate = options.LearningRate * (0.05 + (0.95 * 0.5 * (1 + Math.Cos(Math.PI * progress))));
        foreach (var group in optimizer.ParamGroups)
        {
            group.LearningRate = rate;
        }
    }

    /// <summary>Inverse square root of each label's pixel frequency (normalised to mean 1), from a fixed sample.</summary>
    private static Tensor ClassWeights(SceneWorld world, int resolution)
    {
        using var scope = NewDisposeScope();
        using var sample = world.RenderBatch(WorldSeeds.Segmenter(-FrequencySample), FrequencySample, resolution);
        var counts = sample.Labels.flatten().bincount(null, SceneLabels.Count).to(ScalarType.Float32) + 1;
        var weights = (counts.sum() / counts).sqrt();
        return (weights / weights.mean()).MoveToOuterDisposeScope();
    }

    [LoggerMessage(EventId = 210, Level = LogLevel.Information,
        Message = "Segmenter step {Step}/{Steps}: loss {Loss:F4}, pixel accuracy {Accuracy:P1}")]
    private static partial void LogProgress(ILogger logger, int step, int steps, double loss, double accuracy);
}
