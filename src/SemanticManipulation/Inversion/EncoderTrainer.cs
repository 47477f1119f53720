using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SemanticManipulation.Checkpoints;
using SemanticManipulation.Diagnostics;
using SemanticManipulation.Optimization;
using SemanticManipulation.Runtime;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SemanticManipulation.Inversion;

/// <summary>
/// Trains a <see cref="HybridEncoder"/> for a generator on its own samples, in the authors' three stages:
/// (1) the trunk alone, MSE between r̂ = E(G(z)) and r = G_H(z); (2) each inverter alone, from a layer's true output to
/// its true input, <c>cos(target, guess) + 0.01·cos(layer output, layer(guess))</c> with cos = mean(1 − cosine over
/// channels); (3) everything jointly, <c>cos(r, r̂) + cos(z, ẑ) + cos(r, G_H(ẑ)) + MSE(G(z), G(ẑ))</c>, with the
/// inverters' final 1×1 convs frozen. The generator is never changed.
/// </summary>
/// <example>
/// <code>
/// var options = new EncoderTrainingOptions { TrunkSteps = 2000, InverterSteps = 500, JointSteps = 1000, BatchSize = 16,
///     CheckpointDirectory = "runs/encoder" };
/// using var trained = new EncoderTrainer().Train(generator, options, progress, cancellationToken);
/// trained.Encoder.Save("encoder.safetensors");
/// </code>
/// </example>
public sealed class EncoderTrainer
{
    private const double InverterRecoveryWeight = 0.01;

    private readonly ILogger _logger;

    /// <summary>Creates the trainer.</summary>
    /// <param name="logger">Receives the plan, periodic progress, each part's outcome and checkpoint writes.</param>
    public EncoderTrainer(ILogger<EncoderTrainer>? logger = null) => _logger = logger ?? (ILogger)NullLogger.Instance;

    /// <summary>Trains an encoder for <paramref name="generator"/>, resuming from the checkpoint folder when it holds a
    /// checkpoint of the same run (same generator geometry, trunk, batch size and seed).</summary>
    /// <param name="generator">The generator to invert; its weights are not changed.</param>
    /// <param name="options">Step counts, batch size, seed, checkpoint folder; null for the defaults.</param>
    /// <param name="progress">Receives a report every <see cref="EncoderTrainingOptions.ProgressInterval"/> steps.</param>
    /// <param name="cancellationToken">Checked before every step. Cancellation frees everything; with a checkpoint folder
    /// the part in progress is first checkpointed at the last step it finished, so a later call resumes after it (an
    /// error writing that checkpoint propagates instead of the cancellation).</param>
    /// <returns>The encoder (in inference mode) and per-part reports; owned by the caller.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    /// <exception cref="ArgumentException">The checkpoint folder holds a different run.</exception>
    /// <exception cref="InvalidDataException">The checkpoint's progress is unreadable, or its optimiser state is missing.</exception>
    /// <exception cref="OperationCanceledException">Training was cancelled.</exception>
    public EncoderTrainingResult Train(
        ILayerSplitGenerator generator,
        EncoderTrainingOptions? options = null,
        IProgress<EncoderTrainingProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(generator);
        TorchRuntime.EnsureInitialized(_logger);
        options = (options ?? new EncoderTrainingOptions()).Clone();
        options.Validate();
        cancellationToken.ThrowIfCancellationRequested();

        var encoder = HybridEncoder.Create(generator, options.Encoder, options.Seed);
        try
        {
            var network = encoder.Network;
            var plan = Plan(network, options);
            var fingerprint = Fingerprint(network.Layout, options);
            var checkpoint = options.CheckpointDirectory is null ? null : new EncoderTrainingCheckpoint(options.CheckpointDirectory);
            var state = Resume(checkpoint, fingerprint, generator, network);
            var resumed = state.Parts.Count > 0;
            Log.EncoderTrainingStarted(_logger, generator.Resolution, options.TrunkSteps, options.InverterSteps, network.Layout.Inverters.Count,
                options.JointSteps, options.BatchSize, options.Seed);

            var clock = Stopwatch.StartNew();
            var reports = new List<EncoderPartReport>();
            for (var index = 0; index < plan.Count; index++)
            {
                var part = plan[index];
                var saved = index < state.Parts.Count ? state.Parts[index] : null;
                if (saved is not null && saved.Part != part.Name)
                {
                    throw new ArgumentException(
                        $"The checkpoint in {checkpoint!.Directory} has part '{saved.Part}' where this run has '{part.Name}'.");
                }

                if (saved is null)
                {
                    saved = new EncoderTrainingCheckpoint.PartState { Stage = part.Stage, Part = part.Name };
                    state.Parts.Add(saved);
                }

                if (saved.StepsDone > 0 && saved.StepsDone < part.Steps)
                {
                    Log.EncoderTrainingResumed(_logger, checkpoint!.Directory, part.Stage, part.Name, saved.StepsDone);
                }

                TrainPart(generator, network, part, index, saved, state, checkpoint, options, progress, clock, cancellationToken);
                reports.Add(new EncoderPartReport(part.Stage, part.Name, saved.StepsDone, saved.Seconds, saved.Loss));
            }

            network.eval();
            var result = new EncoderTrainingResult(encoder, reports, resumed);
            encoder = null;
            return result;
        }
        finally
        {
            encoder?.Dispose();
        }
    }

    private void TrainPart(
        ILayerSplitGenerator generator,
        HybridEncoderNetwork network,
        TrainingPart part,
        int partIndex,
        EncoderTrainingCheckpoint.PartState saved,
        EncoderTrainingCheckpoint.TrainingState state,
        EncoderTrainingCheckpoint? checkpoint,
        EncoderTrainingOptions options,
        IProgress<EncoderTrainingProgress>? progress,
        Stopwatch clock,
        CancellationToken cancellationToken)
    {
        if (saved.StepsDone >= part.Steps)
        {
            return;
        }

        var partClock = Stopwatch.StartNew();
        var secondsBefore = saved.Seconds;
        var frozen = part.Stage == EncoderTrainingStage.Joint ? network.Conv3Parameters().ToList() : [];
        SetModes(network, part);
        foreach (var parameter in frozen)
        {
            parameter.requires_grad = false;
        }

        try
        {
            using var optimizer = HeldScalarAdam.Create(part.Parameters(), part.LearningRate);
            // The optimiser file holds the state of the last part the checkpoint reached, and only of that one.
            var isLastSaved = partIndex == state.Parts.Count - 1;
            if (saved.StepsDone > 0 && isLastSaved && checkpoint?.OptimizerPath(state) is { } optimizerPath)
            {
                if (!File.Exists(optimizerPath))
                {
                    throw new InvalidDataException(
                        $"{checkpoint.EncoderPath} is at {part.Name} step {saved.StepsDone} but {Path.GetFileName(optimizerPath)}, its optimiser " +
                        $"state, is missing. Delete {checkpoint.Directory} to start the encoder's training over.");
                }

                optimizer.load_state_dict(optimizerPath);
            }

            void WriteCheckpoint(int step)
            {
                if (checkpoint is null)
                {
                    return;
                }

                // A finished part needs no optimiser state: the next part starts its own.
                var finished = step == part.Steps;
                checkpoint.Write(network, finished ? null : optimizer, state, string.Create(CultureInfo.InvariantCulture, $"{part.Name}-step-{step}"));
                Log.EncoderCheckpointWritten(_logger, checkpoint.Directory, part.Stage, part.Name, step);
            }

            new FittingLoop<float>(
                new FittingOptions
                {
                    Steps = part.Steps,
                    StepsDone = saved.StepsDone,
                    ProgressInterval = options.ProgressInterval,
                    CheckpointInterval = options.CheckpointInterval,
                    Divergence = new DivergenceRule("Encoder training", part.LearningRate, part.Name),
                },
                step => TrainStep(generator, network, part, partIndex, optimizer, options, step))
            {
                Loss = loss => loss,
                Report = (step, loss) =>
                {
                    progress?.Report(new EncoderTrainingProgress(part.Stage, part.Name, step, part.Steps, loss, clock.Elapsed));
                    Log.EncoderTrainingStep(_logger, part.Stage, part.Name, step, part.Steps, loss);
                },
                Completed = (step, loss) =>
                {
                    saved.StepsDone = step;
                    saved.Loss = loss;
                    saved.Seconds = secondsBefore + partClock.Elapsed.TotalSeconds;
                    if (step == part.Steps)
                    {
                        WriteCheckpoint(step);
                    }
                },
                Checkpoint = WriteCheckpoint,
            }.Run(cancellationToken);

            Log.EncoderStageFinished(_logger, part.Stage, part.Name, saved.StepsDone, saved.Seconds, saved.Loss);
        }
        finally
        {
            foreach (var parameter in frozen)
            {
                parameter.requires_grad = true;
            }

            network.eval();
        }
    }

    /// <summary>One update of a part's parameters at (1-based) <paramref name="step"/>; returns the loss.</summary>
    private static float TrainStep(ILayerSplitGenerator generator, HybridEncoderNetwork network, TrainingPart part, int partIndex,
        OptimizerHelper optimizer, EncoderTrainingOptions options, int step)
    {
        using var stepScope = NewDisposeScope();
        foreach (var group in optimizer.ParamGroups)
        {
            group.LearningRate = part.LearningRateAt(step - 1);
        }

        optimizer.zero_grad();
        var latents = SampleLatents(generator, options, partIndex, step);
        var loss = part.Stage switch
        {
            EncoderTrainingStage.Trunk => TrunkLoss(generator, network, latents),
            EncoderTrainingStage.Inverters => InverterLoss(generator, network, part.Inverter!, latents, stepScope),
            _ => JointLoss(generator, network, latents),
        };
        GradientStep.Take(loss, optimizer, $"Encoder training ({part.Name})", step, NonFiniteWatch.Parameters("encoder", network));
        return loss.item<float>();
    }

    /// <summary>Stage 1: MSE between the trunk's r̂ of G(z) and G_H(z).</summary>
    private static Tensor TrunkLoss(ILayerSplitGenerator generator, HybridEncoderNetwork network, Tensor latents)
    {
        Tensor representation, images;
        using (no_grad())
        {
            representation = generator.Early(latents);
            images = generator.Late(representation);
        }

        return nn.functional.mse_loss(network.Trunk.forward(images), representation);
    }

    /// <summary>
    /// Stage 2, one inverter: from layer i's true output to its true input (layer i−1's output, or z), plus 0.01 × how
    /// well layer i maps the guess back to its output (the authors' weighting).
    /// </summary>
    private static Tensor InverterLoss(ILayerSplitGenerator generator, HybridEncoderNetwork network, InverterSpec spec, Tensor latents,
        DisposeScope scope)
    {
        var (module, early) = (network.Inverters.Single(i => i.Spec == spec).Module, network.Layout.Early);
        Dictionary<string, Tensor> truth;
        using (no_grad())
        {
            truth = EarlyLayers.Capture(generator, latents, scope);
        }

        var layerIndex = early.IndexOf(spec.Layer);
        var input = truth[spec.Layer];
        var target = spec.ToLatent ? latents : truth[early.Names[layerIndex - 1]];
        var guess = module.forward(input);
        Tensor recovered;
        if (spec.ToLatent)
        {
            recovered = EarlyLayers.Capture(generator, guess, scope)[spec.Layer];
        }
        else
        {
            // G_H has no single-layer entry point: replace layer i−1's output with the guess and read layer i's.
            var previous = early.Names[layerIndex - 1];
            Tensor? captured = null;
            generator.Early(zeros(latents.shape[0], generator.LatentSize, device: generator.Device), (name, output) =>
            {
                if (name == previous)
                {
                    return guess.alias();
                }

                if (name == spec.Layer)
                {
                    captured = output.alias().MoveToOtherDisposeScope(scope);
                }

                return output;
            });
            recovered = captured!;
        }

        return CosineLoss(target, guess) + (InverterRecoveryWeight * CosineLoss(input, recovered));
    }

    /// <summary>Stage 3: cos(r, r̂) + cos(z, ẑ) + cos(r, G_H(ẑ)) + MSE(G(z), G(ẑ)) (the authors' default losses).</summary>
    private static Tensor JointLoss(ILayerSplitGenerator generator, HybridEncoderNetwork network, Tensor latents)
    {
        Tensor representation, images;
        using (no_grad())
        {
            representation = generator.Early(latents);
            images = generator.Late(representation);
        }

        var (estimated, latent) = network.Encode(images);
        var recovered = generator.Early(latent);
        var regenerated = generator.Late(recovered);
        return CosineLoss(representation, estimated) + CosineLoss(latents, latent) + CosineLoss(representation, recovered)
            + nn.functional.mse_loss(regenerated, images);
    }

    /// <summary>The authors' <c>cor_square_error</c>: mean over positions of 1 − cosine similarity over channels.</summary>
    private static Tensor CosineLoss(Tensor expected, Tensor actual) =>
        (1 - nn.functional.cosine_similarity(expected, actual, dim: 1, eps: 1e-12)).mean();

    /// <summary>The step's latents, a pure function of (seed, part, step) so that resumed runs see the same samples.</summary>
    private static Tensor SampleLatents(ILayerSplitGenerator generator, EncoderTrainingOptions options, int partIndex, int step)
    {
        var seed = unchecked((options.Seed * 1_000_003) + (partIndex * 1_000_000_007L) + step);
        using var random = new Generator(0, CPU).manual_seed(seed);
        return randn(options.BatchSize, generator.LatentSize, generator: random).to(generator.Device);
    }

    /// <summary>BatchNorm in training mode only for the parts being trained; the rest uses running statistics.</summary>
    private static void SetModes(HybridEncoderNetwork network, TrainingPart part)
    {
        network.eval();
        switch (part.Stage)
        {
            case EncoderTrainingStage.Trunk:
                network.Trunk.train();
                break;
            case EncoderTrainingStage.Inverters:
                network.Inverters.Single(i => i.Spec == part.Inverter).Module.train();
                break;
            default:
                network.train();
                break;
        }
    }

    private static List<TrainingPart> Plan(HybridEncoderNetwork network, EncoderTrainingOptions options)
    {
        var parts = new List<TrainingPart>
        {
            new(EncoderTrainingStage.Trunk, "trunk", options.TrunkSteps, options.TrunkLearningRate, [0.5, 0.75], 0.1, null,
                () => network.Trunk.parameters()),
        };
        foreach (var (spec, module) in network.Inverters)
        {
            parts.Add(new(EncoderTrainingStage.Inverters, spec.Name, options.InverterSteps, options.InverterLearningRate, [0.2, 0.6], 0.1,
                spec, () => module.parameters()));
        }

        var frozen = network.Conv3Parameters().ToHashSet();
        parts.Add(new(EncoderTrainingStage.Joint, "joint", options.JointSteps, options.JointLearningRate, [0.05, 0.15, 0.35], 0.5, null,
            () => network.parameters().Where(p => !frozen.Contains(p))));
        return parts;
    }

    private static Dictionary<string, string> Fingerprint(HybridEncoderLayout layout, EncoderTrainingOptions options) => new(StringComparer.Ordinal)
    {
        ["resolution"] = layout.Resolution.ToString(CultureInfo.InvariantCulture),
        ["latent_size"] = layout.LatentSize.ToString(CultureInfo.InvariantCulture),
        ["split_layer"] = layout.SplitLayer,
        ["early_shapes"] = layout.EarlyShapesText,
        ["trunk_width"] = layout.TrunkWidth.ToString(CultureInfo.InvariantCulture),
        ["trunk_blocks"] = string.Join(",", layout.TrunkBlocks),
        ["batch_size"] = options.BatchSize.ToString(CultureInfo.InvariantCulture),
        ["seed"] = options.Seed.ToString(CultureInfo.InvariantCulture),
    };

    private static EncoderTrainingCheckpoint.TrainingState Resume(EncoderTrainingCheckpoint? checkpoint, Dictionary<string, string> fingerprint,
        ILayerSplitGenerator generator, HybridEncoderNetwork network)
    {
        var saved = checkpoint?.ReadState();
        if (saved is null)
        {
            return new EncoderTrainingCheckpoint.TrainingState { Fingerprint = fingerprint };
        }

        var differences = fingerprint.Keys.Union(saved.Fingerprint.Keys)
            .Where(k => fingerprint.GetValueOrDefault(k) != saved.Fingerprint.GetValueOrDefault(k))
            .Select(k => $"{k} {saved.Fingerprint.GetValueOrDefault(k) ?? "(none)"} there, {fingerprint.GetValueOrDefault(k) ?? "(none)"} here")
            .ToList();
        if (differences.Count > 0)
        {
            throw new ArgumentException(
                $"The checkpoint folder {checkpoint!.Directory} holds another training run ({string.Join("; ", differences)}). " +
                "Use another folder, or the same generator and options.");
        }

        using var state = StateDictReader.Read(checkpoint!.EncoderPath);
        var mapped = HybridEncoderCheckpoint.Map(state, generator, network.Layout.Early);
        HybridEncoderCheckpoint.LoadInto(network, mapped.Tensors, EncoderTrainingCheckpoint.EncoderFile);
        return saved;
    }

    /// <summary>One part of the plan: a stage, or one inverter of stage 2, with its steps and learning-rate schedule.</summary>
    private sealed record TrainingPart(
        EncoderTrainingStage Stage,
        string Name,
        int Steps,
        double LearningRate,
        double[] MilestoneFractions,
        double Gamma,
        InverterSpec? Inverter,
        Func<IEnumerable<Parameter>> Parameters)
    {
        public double LearningRateAt(int step) =>
            LearningRate * Math.Pow(Gamma, MilestoneFractions.Count(f => step >= (int)Math.Round(f * Steps)));
    }
}
