using SemanticManipulation.Bundles;
using SemanticManipulation.Editing;
using SemanticManipulation.Generators;
using SemanticManipulation.Segmentation;
using SemanticManipulation.Training.Gan;
using SemanticManipulation.Training.Segmentation;
using SemanticManipulation.Training.World;
using TorchSharp;
using static TorchSharp.torch;

namespace SemanticManipulation.Training.Tests.Evaluation;

/// <summary>
/// A model bundle built the way the default model is, in seconds: a 32² ProGAN trained for a few steps, a small
/// segmenter trained briefly on the world's labels, and a concept catalog whose levels are the generator's real q99
/// activations. The GAN is far too short-trained to draw trees, so the catalog's rankings are a fixed rotation of the
/// units rather than a dissection (which would find no tree to rank units by); the evaluators' mechanics are what the
/// tests check with it. Written to disk and loaded with <see cref="ModelBundle.Load"/>, as the CLI loads a bundle.
/// </summary>
public sealed class TinyBundle : IDisposable
{
    public const int Resolution = 32;

    public TinyBundle()
    {
        var ganPath = new GanTrainer().Train(new Data.SceneWorldImageSource(World, Resolution), new GanTrainingOptions
        {
            LatentSize = 16,
            BlockChannels = [16, 16, 8, 8],
            Steps = 3,
            BatchSize = 4,
            CheckpointInterval = 100,
            ProgressInterval = 100,
            SampleInterval = 0,
        }, Path.Combine(Directory, "gan"));
        var segmenterPath = new SegmenterTrainer().Train(World, new SegmenterTrainingOptions
        {
            Resolution = Resolution,
            Width = 8,
            Depth = 2,
            Steps = 40,
            BatchSize = 8,
            ProgressInterval = 100,
        }, Path.Combine(Directory, "segmenter"));

        var bundleDirectory = Path.Combine(Directory, "bundle");
        System.IO.Directory.CreateDirectory(bundleDirectory);
        File.Copy(ganPath, Path.Combine(bundleDirectory, "generator.safetensors"));
        File.Copy(segmenterPath, Path.Combine(bundleDirectory, "segmenter.safetensors"));
        using (var generator = ProGanGenerator.Load(ganPath))
        {
            Catalog(generator).Save(Path.Combine(bundleDirectory, "concepts.json"));
        }

        ModelBundle.WriteManifest(bundleDirectory, new ModelBundleManifest
        {
            Name = "tiny-test",
            Generator = "generator.safetensors",
            Segmenter = "segmenter.safetensors",
            Concepts = "concepts.json",
        });
        Bundle = ModelBundle.Load(bundleDirectory);
    }

    public string Directory { get; } = Path.Combine(Path.GetTempPath(), "sm-eval-" + Guid.NewGuid().ToString("N")[..10]);

    public SceneWorld World { get; } = new();

    public ModelBundle Bundle { get; }

    public ConvolutionalSegmenter Segmenter => Bundle.Segmenter!;

    public void Dispose()
    {
        Bundle.Dispose();
        if (System.IO.Directory.Exists(Directory))
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
    }

    private static ConceptCatalog Catalog(ProGanGenerator generator)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var z = randn(64, generator.LatentSize, generator: new TorchSharp.torch.Generator(0, CPU).manual_seed(5));
        var units = generator.RepresentationShape.Channels;
        var r = generator.Early(z).transpose(0, 1).reshape(units, -1);
        var levels = r.quantile(tensor(0.99f), dim: 1).data<float>().ToArray();
        var rankings = SceneLabels.Names.Select((name, label) => new ConceptRanking(name, "iou",
            Enumerable.Range(0, units).Select(rank => new RankedUnit(((3 * label) + rank) % units, 1f / (rank + 1)))));
        return new ConceptCatalog(generator.SplitLayer, levels, rankings);
    }
}

// Alone, not beside other tests: the bundle's segmenter is seeded through libtorch's global generator
// (ConvolutionalSegmenter.Create), which a test running in parallel would draw from between the seed and the draws.
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TinyBundleGroup : ICollectionFixture<TinyBundle>
{
    public const string Name = "Tiny bundle";
}
