using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SemanticManipulation.Bundles;
using SemanticManipulation.Checkpoints;
using SemanticManipulation.Diagnostics;
using SemanticManipulation.Dissection;
using SemanticManipulation.Editing;
using SemanticManipulation.Generators;
using SemanticManipulation.Imaging;
using SemanticManipulation.Inversion;
using SemanticManipulation.Segmentation;
using SemanticManipulation.Training.Data;
using SemanticManipulation.Training.Gan;
using SemanticManipulation.Training.Segmentation;
using SemanticManipulation.Training.World;

namespace SemanticManipulation.Training;

/// <summary>
/// Builds a model bundle from scratch, stage by stage: the segmenter, the generator (GAN), the dissection into a
/// concept catalog, the encoder; then assembles the bundle. Every stage writes its result into the work folder and
/// is skipped when the result is there (the catalog and encoder are made again from a newer generator, the catalog
/// also when the dissection's ranking options changed; other intensities only relabel it); the long stages resume from their checkpoints, so an interrupted run continues
/// where it stopped. Stage wall times go into the bundle's provenance.
/// </summary>
public sealed partial class DefaultModelPipeline(ILoggerFactory? loggerFactory = null)
{
    private const string TimesFile = "stage-seconds.json";
    private const int MaxStageAttempts = 20;
    private readonly ILoggerFactory _loggerFactory = loggerFactory ?? NullLoggerFactory.Instance;

    /// <summary>Runs (or resumes) every stage and writes the bundle to <paramref name="bundleDirectory"/>.</summary>
    /// <param name="world">The scene world (the training data).</param>
    /// <param name="options">Every stage's options.</param>
    /// <param name="workDirectory">Checkpoints and stage results.</param>
    /// <param name="bundleDirectory">Where the finished bundle goes.</param>
    /// <param name="cancellationToken">Cancels the running stage; its last checkpoint stays valid.</param>
    /// <exception cref="ArgumentException">An option of any stage is out of range, or <paramref name="workDirectory"/> holds
    /// the stages of a model whose networks have other shapes (nothing was written).</exception>
    /// <exception cref="InvalidDataException">A stage's file in <paramref name="workDirectory"/> cannot be read to check that.</exception>
    /// <exception cref="IOException">Another run is using <paramref name="workDirectory"/> (one run per work folder at a time).</exception>
    /// <exception cref="CheckpointFormatException">A stage's checkpoint cannot be resumed (damaged, or of another architecture;
    /// the message says what to delete).</exception>
    public string Run(SceneWorld world, DefaultModelOptions options, string workDirectory, string bundleDirectory, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(world);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var logger = _loggerFactory.CreateLogger<DefaultModelPipeline>();
        Directory.CreateDirectory(workDirectory);
        using var folder = WorkFolderLock.Acquire(workDirectory);
        WorkFolderRecipe.Claim(workDirectory, options);
        var dissectionRecord = Path.Combine(workDirectory, "concepts.options.json");
        var dissectionOptions = JsonSerializer.Serialize(options.Dissection);
        var times = LoadTimes(workDirectory, logger);
        void RecordDissectionOptions() =>
            AtomicFile.Write(dissectionRecord, stream => stream.Write(System.Text.Encoding.UTF8.GetBytes(dissectionOptions)));

        // The segmenter first: the GAN's semantic discriminator judges images through it.
        var segmenterPath = Stage("segmenter", times, workDirectory, logger, () =>
            new SegmenterTrainer(_loggerFactory.CreateLogger<SegmenterTrainer>())
                .Train(world, options.Segmenter, Path.Combine(workDirectory, "segmenter"), null, cancellationToken));

        var ganDirectory = Path.Combine(workDirectory, "gan");
        var resolution = 4 << (options.Gan.BlockChannels.Count - 1);
        ITrainingImageSource ganImages = new SceneWorldImageSource(world, resolution);
        if (options.GanFinishingWorld is { } finishing)
        {
            // Training steps count from 1 and read iteration step − 1: the finishing world starts the step after.
            ganImages = new SwitchingImageSource(ganImages, new SceneWorldImageSource(new SceneWorld(finishing), resolution), options.GanFinishingFromStep);
        }

        var generatorPath = Stage("gan", times, workDirectory, logger, () =>
        {
            using var judge = options.Gan.SemanticWeight > 0 ? ConvolutionalSegmenter.Load(segmenterPath) : null;
            return new GanTrainer(_loggerFactory.CreateLogger<GanTrainer>()).Train(ganImages, options.Gan, ganDirectory, judge, null, cancellationToken);
        });

        using var generator = ProGanGenerator.Load(generatorPath);
        var conceptsPath = Path.Combine(workDirectory, "concepts.json");
        var encoderPath = Path.Combine(workDirectory, "encoder.safetensors");
        var encoderCheckpoints = Path.Combine(workDirectory, "encoder");

        // Results made from an older generator (the GAN was trained further since) are stale: dissect and train the
        // encoder again, and do not resume the encoder from checkpoints of the old generator either.
        var generatorWritten = File.GetLastWriteTimeUtc(generatorPath);
        if (File.Exists(conceptsPath) && File.GetLastWriteTimeUtc(conceptsPath) < generatorWritten)
        {
            File.Delete(conceptsPath);
        }

        // So is a catalog dissected with other options (another unit ranking, more candidates): the options each catalog
        // was made with are recorded beside it (a catalog made before they were is kept, unrecorded). Other intensities
        // alone only relabel the catalog (below): they pick how many ranked units an edit takes, not how units rank.
        if (File.Exists(conceptsPath) && File.Exists(dissectionRecord) && RankingOptions(File.ReadAllText(dissectionRecord)) != RankingOptions(dissectionOptions))
        {
            File.Delete(conceptsPath);
        }

        if (File.Exists(encoderPath) && File.GetLastWriteTimeUtc(encoderPath) < generatorWritten)
        {
            File.Delete(encoderPath);
        }

        // An encoder stage interrupted before the GAN was trained further must not resume either: its checkpoints fit
        // the old generator's features.
        if (Directory.Exists(encoderCheckpoints)
            && Directory.EnumerateFiles(encoderCheckpoints, "*", SearchOption.AllDirectories).Any(f => File.GetLastWriteTimeUtc(f) < generatorWritten))
        {
            Directory.Delete(encoderCheckpoints, recursive: true);
        }

        Stage("dissection", times, workDirectory, logger, () =>
        {
            if (!File.Exists(conceptsPath))
            {
                // Recorded first: a run stopped between the two writes leaves a record that matches the catalog, or no catalog.
                RecordDissectionOptions();
                using var segmenter = ConvolutionalSegmenter.Load(segmenterPath);
                // The dissector logs each step at debug level only; a run shows each phase's end and every concept the
                // causal ranking finishes, as the dissect command does: the stage is long and would otherwise be silent.
                var progress = new SynchronousProgress<DissectionProgress>(p =>
                {
                    if (p.IsMilestone)
                    {
                        LogDissectionProgress(logger, p.Stage, p.Completed, p.Total, p.Elapsed.TotalSeconds);
                    }
                });
                var result = new GanDissector(_loggerFactory.CreateLogger<GanDissector>())
                    .Dissect(generator, segmenter, options.Dissection, progress, cancellationToken);
                result.Catalog.Save(conceptsPath);
            }
            else
            {
                var catalog = ConceptCatalog.Load(conceptsPath);
                var intensities = options.Dissection.Intensities ?? IntensityUnitCounts.Default;
                if (catalog.Intensities != intensities)
                {
                    // The catalog first, then its record: a run stopped between the two relabels it again.
                    catalog.WithIntensities(intensities).Save(conceptsPath);
                    RecordDissectionOptions();
                    LogIntensitiesChanged(logger, catalog.Intensities, intensities);
                }
            }

            return conceptsPath;
        });

        Stage("encoder", times, workDirectory, logger, () =>
        {
            if (!File.Exists(encoderPath))
            {
                var encoderOptions = options.Encoder.Clone();
                encoderOptions.CheckpointDirectory = encoderCheckpoints;
                using var trained = new EncoderTrainer(_loggerFactory.CreateLogger<EncoderTrainer>()).Train(generator, encoderOptions, null, cancellationToken);
                trained.Encoder.Save(encoderPath);
            }

            return encoderPath;
        });

        Directory.CreateDirectory(bundleDirectory);
        File.Copy(generatorPath, Path.Combine(bundleDirectory, "generator.safetensors"), overwrite: true);
        File.Copy(segmenterPath, Path.Combine(bundleDirectory, "segmenter.safetensors"), overwrite: true);
        // The encoder ships in float16: it is most of the bundle's bytes, and its prediction only seeds the inversion's
        // optimisation, so rounding its weights to three significant digits costs nothing measurable (inversion PSNR unchanged to 0.01 dB when this was measured).
        SafeTensorsWriter.CopyAsFloat16(encoderPath, Path.Combine(bundleDirectory, "encoder.safetensors"));
        File.Copy(conceptsPath, Path.Combine(bundleDirectory, "concepts.json"), overwrite: true);
        var provenance = times.ToDictionary(t => $"seconds_{t.Key}", t => t.Value.ToString("F0", CultureInfo.InvariantCulture));
        // What the generator was trained with, as the finished generator records it (a run asking for fewer steps or
        // other settings reuses it as it is); this run's options only for a generator made before generators recorded it.
        var recorded = GanTrainer.TrainedWith(ganDirectory);
        var gan = recorded?.Options ?? options.Gan;
        provenance["gan_steps"] = gan.Steps.ToString(CultureInfo.InvariantCulture);
        provenance["gan_seed"] = gan.Seed.ToString(CultureInfo.InvariantCulture);
        provenance["gan_semantic_weight"] = gan.SemanticWeight.ToString(CultureInfo.InvariantCulture);
        provenance["gan_ema_half_life_images"] = gan.EmaHalfLifeImages.ToString(CultureInfo.InvariantCulture);
        if (gan.FinalEmaHalfLifeImages is double finalHalfLife)
        {
            provenance["gan_final_ema_half_life_images"] = finalHalfLife.ToString(CultureInfo.InvariantCulture);
            provenance["gan_final_ema_start_step"] = gan.FinalEmaStartStep.ToString(CultureInfo.InvariantCulture);
        }

        provenance["world"] = "SemanticManipulation.Training.World.SceneWorld (seeds: WorldSeeds)";
        provenance["gan_images"] = recorded is { } made ? made.Data ?? "not recorded" : ganImages.Description;

        ModelBundle.WriteManifest(bundleDirectory, new ModelBundleManifest
        {
            Name = $"scene-world-{generator.Resolution}",
            Description = "A ProGAN (authors' layout) trained on the SDK's procedural church-scene world, with its segmenter, " +
                "concept catalog and hybrid encoder. Rebuild with: semantic-manipulation train.",
            Generator = "generator.safetensors",
            Concepts = "concepts.json",
            Encoder = "encoder.safetensors",
            Segmenter = "segmenter.safetensors",
            Provenance = provenance,
        });
        LogBundleWritten(logger, bundleDirectory);
        return bundleDirectory;
    }

    private static string Stage(string name, Dictionary<string, double> times, string workDirectory, ILogger logger, Func<string> run)
    {
        LogStageStarting(logger, name);
        var clock = Stopwatch.StartNew();
        string result;
        try
        {
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    result = run();
                    break;
                }
                catch (System.Runtime.InteropServices.ExternalException ex) when (attempt < MaxStageAttempts)
                {
                    // TorchSharp 0.107 can free an implicit Scalar temporary while libtorch still reads it, if a GC lands
                    // mid-call: a transient native error. Every stage resumes from its last checkpoint, so retrying loses
                    // at most one checkpoint interval.
                    LogStageRetry(logger, name, attempt, ex.Message.Split('\n')[0]);
                }
            }
        }
        finally
        {
            // Accumulate, also when cancelled or failed: a resumed stage adds every run's time, so the bundle's
            // provenance gives the stage's whole cost, not only its last run's.
            times[name] = times.GetValueOrDefault(name) + clock.Elapsed.TotalSeconds;
            AtomicFile.Write(Path.Combine(workDirectory, TimesFile), stream => JsonSerializer.Serialize(stream, times));
        }

        LogStageFinished(logger, name, times[name]);
        return result;
    }

    private static Dictionary<string, double> LoadTimes(string workDirectory, ILogger logger)
    {
        var path = Path.Combine(workDirectory, TimesFile);
        if (!File.Exists(path))
        {
            return [];
        }

        try
        {
            return JsonSerializer.Deserialize<Dictionary<string, double>>(File.ReadAllText(path)) ?? [];
        }
        catch (JsonException ex)
        {
            // Only the provenance's stage times are lost; no stage depends on them.
            LogTimesUnreadable(logger, path, ex.Message);
            return [];
        }
    }

    [LoggerMessage(EventId = 220, Level = LogLevel.Information, Message = "Stage {Stage}: starting (or resuming)")]
    private static partial void LogStageStarting(ILogger logger, string stage);

    [LoggerMessage(EventId = 221, Level = LogLevel.Information, Message = "Stage {Stage}: done, {Seconds:F0} s in total")]
    private static partial void LogStageFinished(ILogger logger, string stage, double seconds);

    [LoggerMessage(EventId = 223, Level = LogLevel.Warning, Message = "Stage {Stage}: transient native error on attempt {Attempt} ({Error}); resuming from the last checkpoint")]
    private static partial void LogStageRetry(ILogger logger, string stage, int attempt, string error);

    [LoggerMessage(EventId = 224, Level = LogLevel.Warning, Message = "{Path} cannot be read ({Error}); the stage times start again from this run")]
    private static partial void LogTimesUnreadable(ILogger logger, string path, string error);

    /// <summary>A dissection record without the intensities, which do not change how units rank.</summary>
    private static string RankingOptions(string record)
    {
        try
        {
            var node = System.Text.Json.Nodes.JsonNode.Parse(record)?.AsObject();
            node?.Remove(nameof(DissectionOptions.Intensities));
            return node?.ToJsonString() ?? record;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            // A damaged record (or not an object) matches nothing: the catalog is made again.
            return record;
        }
    }

    [LoggerMessage(EventId = 226, Level = LogLevel.Information, Message = "The catalog's intensities changed from {Old} to {New} units; its rankings are kept")]
    private static partial void LogIntensitiesChanged(ILogger logger, IntensityUnitCounts old, IntensityUnitCounts @new);

    [LoggerMessage(EventId = 225, Level = LogLevel.Information, Message = "Dissection: {Phase} {Completed}/{Total}, {Seconds:F0} s")]
    private static partial void LogDissectionProgress(ILogger logger, DissectionStage phase, int completed, int total, double seconds);

    [LoggerMessage(EventId = 222, Level = LogLevel.Information, Message = "Bundle written to {Directory}")]
    private static partial void LogBundleWritten(ILogger logger, string directory);
}
