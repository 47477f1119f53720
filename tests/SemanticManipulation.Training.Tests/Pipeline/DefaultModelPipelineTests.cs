using System.Text.Json;
using SemanticManipulation.Bundles;
using SemanticManipulation.Checkpoints;
using SemanticManipulation.Dissection;
using SemanticManipulation.Editing;
using SemanticManipulation.Inversion;
using SemanticManipulation.Training.Data;
using SemanticManipulation.Training.Gan;
using SemanticManipulation.Training.Segmentation;
using SemanticManipulation.Training.World;
using Xunit;
using static TorchSharp.torch;
using SemanticManipulation.Tests;

namespace SemanticManipulation.Training.Tests.Pipeline;

/// <summary>The whole default-model pipeline at toy sizes: every stage runs, the bundle loads, a finished run is reused,
/// and training the GAN further rebuilds what was made from the old generator.</summary>
public sealed class DefaultModelPipelineTests : IDisposable
{
    private readonly TemporaryDirectory _temporary = new();

    public void Dispose() => _temporary.Dispose();

    // One world throughout, whatever the default recipe's finishing world: the tests below switch worlds themselves.
    private static DefaultModelOptions Tiny(int ganSteps) => new()
    {
        GanFinishingWorld = null,
        GanFinishingFromStep = 0,
        Gan = new GanTrainingOptions
        {
            LatentSize = 16,
            BlockChannels = [16, 16, 8, 8],
            Steps = ganSteps,
            BatchSize = 4,
            CheckpointInterval = 100,
            ProgressInterval = 100,
            SampleInterval = 0,
        },
        Segmenter = new SegmenterTrainingOptions { Resolution = 32, Width = 8, Depth = 2, Steps = 20, BatchSize = 8, ProgressInterval = 100 },
        Dissection = new DissectionOptions { QuantileSamples = 16, SegmentationSamples = 16, BatchSize = 8, Seed = 3, MinimumConceptFraction = 0 },
        Encoder = new EncoderTrainingOptions
        {
            TrunkSteps = 2,
            InverterSteps = 1,
            JointSteps = 1,
            BatchSize = 2,
            Seed = 5,
            Encoder = new HybridEncoderOptions { TrunkWidth = 4, TrunkBlocks = [1, 1, 1, 1] },
        },
    };

    [Fact]
    public void It_builds_a_bundle_reuses_finished_stages_and_rebuilds_what_a_longer_gan_makes_stale()
    {
        var work = Path.Combine(_temporary.Path, "work");
        var bundle = Path.Combine(_temporary.Path, "bundle");
        var world = new SceneWorld();

        new DefaultModelPipeline().Run(world, Tiny(3), work, bundle);
        using (var loaded = ModelBundle.Load(bundle))
        {
            Assert.Equal(32, loaded.Generator.Resolution);
            Assert.NotNull(loaded.Encoder);
            Assert.NotNull(loaded.Segmenter);
            Assert.NotNull(loaded.Catalog);
            Assert.Equal("3", loaded.Manifest.Provenance!["gan_steps"]);

            // The shipped encoder is the trained one stored in float16: same predictions to float16's precision.
            using (var shipped = StateDictReader.Read(Path.Combine(bundle, "encoder.safetensors")))
            {
                Assert.Equal(ScalarType.Float16, shipped.Tensors["resnet.conv1.weight"].dtype);
            }

            using var trained = HybridEncoder.Load(Path.Combine(work, "encoder.safetensors"), loaded.Generator);
            using var images = rand(2, 3, 32, 32, generator: new TorchSharp.torch.Generator(7)) * 2 - 1;
            using var fromShipped = loaded.Encoder!.Encode(images);
            using var fromTrained = trained.Encode(images);
            var scale = fromTrained.Representation.abs().max().item<float>();
            Assert.True(fromShipped.Representation.allclose(fromTrained.Representation, rtol: 0, atol: 0.01 * scale),
                $"float16 encoder differs by {(fromShipped.Representation - fromTrained.Representation).abs().max().item<float>()} (scale {scale})");
        }

        var concepts = Path.Combine(work, "concepts.json");
        var encoder = Path.Combine(work, "encoder.safetensors");
        var (conceptsWritten, encoderWritten) = (File.GetLastWriteTimeUtc(concepts), File.GetLastWriteTimeUtc(encoder));

        // The same options again: every stage's result is reused as it is.
        new DefaultModelPipeline().Run(world, Tiny(3), work, bundle);
        Assert.Equal(conceptsWritten, File.GetLastWriteTimeUtc(concepts));
        Assert.Equal(encoderWritten, File.GetLastWriteTimeUtc(encoder));

        // Another dissection option (here the units kept per concept): the catalog is made again, the encoder kept.
        var otherDissection = Tiny(3);
        otherDissection.Dissection.UnitsPerConcept = 7;
        var dissectionLogs = new RecordingLoggerFactory();
        new DefaultModelPipeline(dissectionLogs).Run(world, otherDissection, work, bundle);
        // The run says where the dissection is at information level (the dissector's own steps are debug-level only).
        var progress = dissectionLogs.Messages.Where(m => m.Level == Microsoft.Extensions.Logging.LogLevel.Information && m.Message.StartsWith("Dissection: ", StringComparison.Ordinal))
            .Select(m => m.Message[..m.Message.LastIndexOf(',')]).ToList();
        Assert.Equal(["Dissection: Quantiles 16/16", "Dissection: Overlap 16/16"], progress);
        Assert.True(File.GetLastWriteTimeUtc(concepts) > conceptsWritten);
        Assert.Equal(encoderWritten, File.GetLastWriteTimeUtc(encoder));
        conceptsWritten = File.GetLastWriteTimeUtc(concepts);

        // Other intensities alone: the catalog is relabelled, not dissected again (they pick how many ranked units an
        // edit takes, not how units rank), and the bundle's catalog has them.
        var dissected = ConceptCatalog.Load(concepts);
        var otherIntensities = Tiny(3);
        otherIntensities.Dissection.UnitsPerConcept = 7;
        otherIntensities.Dissection.Intensities = new IntensityUnitCounts(2, 3, 5);
        var relabelLogs = new RecordingLoggerFactory();
        new DefaultModelPipeline(relabelLogs).Run(world, otherIntensities, work, bundle);
        Assert.DoesNotContain(relabelLogs.Messages, m => m.Message.StartsWith("Dissection: ", StringComparison.Ordinal));
        var relabelled = ConceptCatalog.Load(Path.Combine(bundle, "concepts.json"));
        Assert.Equal(new IntensityUnitCounts(2, 3, 5), relabelled.Intensities);
        Assert.Equal(dissected.Levels, relabelled.Levels);
        Assert.All(dissected.Concepts, c => Assert.Equal(dissected.SelectUnits(c, 7), relabelled.SelectUnits(c, 7)));
        Assert.Equal(encoderWritten, File.GetLastWriteTimeUtc(encoder));

        // Run again with the same intensities: nothing to relabel, the catalog is kept as it is.
        var relabelledWritten = File.GetLastWriteTimeUtc(concepts);
        new DefaultModelPipeline().Run(world, otherIntensities, work, bundle);
        Assert.Equal(relabelledWritten, File.GetLastWriteTimeUtc(concepts));
        conceptsWritten = relabelledWritten;

        // More GAN steps: the GAN continues, and the catalog and encoder of the old generator are made again.
        new DefaultModelPipeline().Run(world, Tiny(5), work, bundle);
        Assert.True(File.GetLastWriteTimeUtc(concepts) > conceptsWritten);
        Assert.True(File.GetLastWriteTimeUtc(encoder) > encoderWritten);
        var times = JsonSerializer.Deserialize<Dictionary<string, double>>(File.ReadAllText(Path.Combine(work, "stage-seconds.json")))!;
        Assert.Equal(["dissection", "encoder", "gan", "segmenter"], times.Keys.Order());
        Assert.All(times.Values, seconds => Assert.True(seconds > 0));
        using (var extended = ModelBundle.Load(bundle))
        {
            Assert.Equal("5", extended.Manifest.Provenance!["gan_steps"]);
        }

        // An encoder stage stopped part-way (its checkpoints there, no encoder yet), then the GAN trained further: the
        // encoder starts over on the new generator instead of resuming weights fitted to the old one's features.
        var encoderCheckpoints = Path.Combine(work, "encoder");
        Assert.NotEmpty(Directory.GetFiles(encoderCheckpoints));
        File.Delete(encoder);
        new DefaultModelPipeline().Run(world, Tiny(7), work, bundle);
        var generatorWritten = File.GetLastWriteTimeUtc(Path.Combine(work, "gan", "generator.safetensors"));
        Assert.All(Directory.GetFiles(encoderCheckpoints), file => Assert.True(File.GetLastWriteTimeUtc(file) >= generatorWritten, file));
        Assert.True(File.GetLastWriteTimeUtc(encoder) >= generatorWritten);

        // Fewer steps and another learning rate: the finished GAN is reused as it is, the run says so, and the bundle's
        // provenance gives what the generator was trained with, not what this run asked for.
        var shorter = Tiny(3);
        shorter.Gan.LearningRate = 0.001;
        shorter.GanFinishingWorld = new SceneWorldOptions { DomeChance = 0.9f };
        shorter.GanFinishingFromStep = 2;
        // (With the stage times' file damaged too: they start again, the run goes on.)
        var timesFile = Path.Combine(work, "stage-seconds.json");
        File.WriteAllText(timesFile, "{ \"gan\": ");
        var logs = new RecordingLoggerFactory();
        new DefaultModelPipeline(logs).Run(world, shorter, work, bundle);
        Assert.Equal(generatorWritten, File.GetLastWriteTimeUtc(Path.Combine(work, "gan", "generator.safetensors")));
        var warnings = logs.Messages.Where(m => m.Level == Microsoft.Extensions.Logging.LogLevel.Warning).Select(m => m.Message).ToList();
        Assert.Equal(2, warnings.Count);
        Assert.StartsWith($"{timesFile} cannot be read (", warnings[0], StringComparison.Ordinal);
        var world0 = new SceneWorldImageSource(world, 32).Description;
        Assert.Contains($"(7 steps) was trained with other settings than this run's (LearningRate 0.002 there, 0.001 asked; images «{world0}» there, «{world0}, " +
            "then from iteration 2: SceneWorld {", warnings[1], StringComparison.Ordinal);
        Assert.Equal(["dissection", "encoder", "gan", "segmenter"], JsonSerializer.Deserialize<Dictionary<string, double>>(File.ReadAllText(timesFile))!.Keys.Order());
        using (var reused = ModelBundle.Load(bundle))
        {
            Assert.Equal("7", reused.Manifest.Provenance!["gan_steps"]);
            Assert.Equal(world0, reused.Manifest.Provenance!["gan_images"]);
        }

        // Another model's networks in the same folder are refused before any stage runs: a wider generator (its
        // checkpoint's options say what the folder's GAN is), a finished segmenter of another resolution (the recipe the
        // earlier runs recorded says it), and with that record damaged, the run is refused as unverifiable.
        var wider = Tiny(7);
        wider.Gan.BlockChannels = [16, 16, 16, 8];
        var finer = Tiny(7);
        finer.Segmenter.Resolution = 48;
        var narrower = Tiny(7);
        narrower.Encoder.Encoder = new HybridEncoderOptions { TrunkWidth = 8, TrunkBlocks = [1, 1, 1, 1] };
        var recipe = Path.Combine(work, WorkFolderRecipe.FileName);
        foreach (var (options, expected) in new[]
                 {
                     (wider, "holds the stages of another model (GAN channels 16,16,8,8, this run 16,16,16,8)"),
                     (finer, "holds the stages of another model (segmenter resolution 32, this run 48)"),
                     (narrower, "holds the stages of another model (encoder trunk width 4, this run 8)"),
                 })
        {
            var before = Snapshot(work);
            var refusal = Assert.Throws<ArgumentException>(() => new DefaultModelPipeline().Run(world, options, work, bundle));
            Assert.Contains(expected, refusal.Message, StringComparison.Ordinal);
            Assert.Equal(before, Snapshot(work));
        }

        File.WriteAllText(recipe, "{ \"SegmenterResolution\": ");
        var unreadable = Assert.Throws<InvalidDataException>(() => new DefaultModelPipeline().Run(world, finer, work, bundle));
        Assert.StartsWith($"{recipe} cannot be read to check this run against the work folder", unreadable.Message, StringComparison.Ordinal);

        // A damaged stage file is named, not reused or resumed.
        File.Delete(recipe);
        var checkpoint = Path.Combine(work, "gan", "gan.checkpoint.safetensors");
        File.WriteAllBytes(checkpoint, File.ReadAllBytes(checkpoint)[..20]);
        var damaged = Assert.Throws<InvalidDataException>(() => new DefaultModelPipeline().Run(world, Tiny(7), work, bundle));
        Assert.StartsWith($"{checkpoint} cannot be read to check this run against the work folder", damaged.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_work_folder_another_run_is_using_is_refused_before_anything_is_read_or_written()
    {
        var work = Path.Combine(_temporary.Path, "work");
        Directory.CreateDirectory(work);
        // A stage file the run would have to read: were the folder not refused first, this damaged checkpoint would be.
        Directory.CreateDirectory(Path.Combine(work, "gan"));
        File.WriteAllBytes(Path.Combine(work, "gan", "gan.checkpoint.safetensors"), [1, 2, 3]);
        var before = Snapshot(work);

        using (WorkFolderLock.Acquire(work))
        {
            var refusal = Assert.Throws<IOException>(() => new DefaultModelPipeline().Run(new SceneWorld(), Tiny(3), work, Path.Combine(_temporary.Path, "bundle")));
            Assert.StartsWith($"Another training run is using the work folder {work}", refusal.Message, StringComparison.Ordinal);
            Assert.Equal(before, Snapshot(work).Where(f => Path.GetFileName(f.File) != WorkFolderLock.FileName));
        }

        // The run that held it has ended: the folder is free again (and the next run gets as far as the damaged file).
        var next = Assert.Throws<InvalidDataException>(() => new DefaultModelPipeline().Run(new SceneWorld(), Tiny(3), work, Path.Combine(_temporary.Path, "bundle")));
        Assert.Contains("gan.checkpoint.safetensors cannot be read", next.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_temporary.Path, "bundle")));
    }

    private static List<(string File, DateTime Written)> Snapshot(string directory) =>
        [.. Directory.GetFiles(directory, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).Select(f => (f, File.GetLastWriteTimeUtc(f)))];

    public static TheoryData<string, Action<DefaultModelOptions>> LaterStagesBadValues => new()
    {
        { nameof(GanTrainingOptions.EmaHalfLifeImages), o => o.Gan.EmaHalfLifeImages = 0 },
        { nameof(SceneWorldOptions.DomeChance), o => o.GanFinishingWorld = new SceneWorldOptions { DomeChance = 1.5f } },
        { nameof(DefaultModelOptions.GanFinishingFromStep), o => o.GanFinishingFromStep = -1 },
        { nameof(DissectionOptions.UnitsPerConcept), o => o.Dissection.UnitsPerConcept = 0 },
        { nameof(EncoderTrainingOptions.BatchSize), o => o.Encoder.BatchSize = 1 },
    };

    [Theory]
    [MemberData(nameof(LaterStagesBadValues))]
    public void A_bad_option_of_a_later_stage_is_refused_before_the_first_stage_writes_anything(string property, Action<DefaultModelOptions> spoil)
    {
        var work = Path.Combine(_temporary.Path, "work");
        var options = Tiny(3);
        spoil(options);

        var refusal = Assert.Throws<ArgumentOutOfRangeException>(() => new DefaultModelPipeline().Run(new SceneWorld(), options, work, Path.Combine(_temporary.Path, "bundle")));

        Assert.Equal(property, refusal.ParamName);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_temporary.Path));
    }
}
