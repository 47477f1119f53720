using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SemanticManipulation.Imaging;
using SemanticManipulation.Runtime;
using SemanticManipulation.Segmentation;
using SemanticManipulation.Training.Data;
using SemanticManipulation.Training.World;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using TorchSharp;
using static TorchSharp.torch;
using SemanticManipulation.Training.Imaging;

namespace SemanticManipulation.Training.Evaluation;

/// <summary>
/// Measures how well a generator reproduces the scene world: the segmenter's per-class
/// pixel shares on generated images against its shares on held-out world images (and the world's ground truth), and the
/// Fréchet distance on the segmenter's pooled features between generated and world images, beside the distance between
/// two disjoint world samples. All tensor work runs on the calling thread.
/// </summary>
public sealed partial class GeneratorQualityEvaluator(ILogger<GeneratorQualityEvaluator>? logger = null)
{
    private readonly ILogger _logger = logger ?? NullLogger<GeneratorQualityEvaluator>.Instance;

    /// <summary>Evaluates <paramref name="generator"/> against <paramref name="world"/>.</summary>
    /// <param name="generator">The generator; its images are generated from seeded latents z ~ N(0, I).</param>
    /// <param name="segmenter">The judge: a segmenter trained on the world's labels (on the CPU).</param>
    /// <param name="world">The world the generator was trained on; its held-out seeds give the reference images.</param>
    /// <param name="options">Sample sizes, seeds, tolerance; null for the defaults.</param>
    /// <param name="progress">Receives a report after each batch, on the calling thread.</param>
    /// <param name="cancellationToken">Cancels between batches; nothing is written.</param>
    /// <exception cref="ArgumentException">The generator's resolution is not one the segmenter and the world accept.</exception>
    public GeneratorQualityReport Evaluate(ILayerSplitGenerator generator, ConvolutionalSegmenter segmenter, SceneWorld world,
        GeneratorQualityOptions? options = null, IProgress<GeneratorQualityProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(generator);
        options ??= new GeneratorQualityOptions();
        options.Validate();
        TorchRuntime.EnsureInitialized();
        using var latents = new torch.Generator(0, CPU).manual_seed(options.Seed);
        return Evaluate(count =>
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            var z = randn(count, generator.LatentSize, generator: latents).to(generator.Device);
            return generator.Generate(z).cpu().MoveToOuterDisposeScope();
        }, generator.Resolution, segmenter, world, options, progress, cancellationToken);
    }

    /// <summary>
    /// The evaluation with any image source standing in for the generator: <paramref name="generate"/> returns the next
    /// <c>count</c> images <c>[count, 3, R, R]</c> in [-1, 1] on the CPU, which the evaluator disposes.
    /// </summary>
    internal GeneratorQualityReport Evaluate(Func<int, Tensor> generate, int resolution, ConvolutionalSegmenter segmenter, SceneWorld world,
        GeneratorQualityOptions options, IProgress<GeneratorQualityProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(segmenter);
        ArgumentNullException.ThrowIfNull(world);
        options.Validate();
        if (resolution is < SceneWorld.MinSize or > SceneWorld.MaxSize || resolution % segmenter.Stride != 0)
        {
            throw new ArgumentException(
                $"The generator's {resolution}² images cannot be compared with the world: the world renders {SceneWorld.MinSize}² to " +
                $"{SceneWorld.MaxSize}², and the segmenter needs sides that are multiples of {segmenter.Stride}.", nameof(resolution));
        }

        TorchRuntime.EnsureInitialized();
        var clock = Stopwatch.StartNew();
        LogQualityStarting(_logger, options.Images, resolution);
        var worldLabelOfSegmenterLabel = segmenter.Labels.Select(WorldLabelIndex).ToArray();
        var pictureCount = options.PictureDirectory is null ? 0 : options.PictureColumns * options.PictureRows;

        var generated = new ImageSetStatistics(segmenter, pictureCount);
        var worldA = new ImageSetStatistics(segmenter, pictureCount, worldLabelOfSegmenterLabel);
        var worldB = new ImageSetStatistics(segmenter, 0);
        double frechet, worldFrechet;
        var classes = new List<ClassShareComparison>();
        try
        {
            RunBatches(GeneratorQualityStage.Generated, options, progress, count =>
            {
                using var images = generate(count);
                generated.Add(images, truth: null);
            }, cancellationToken);

            var next = options.FirstHeldOutIndex;
            RunBatches(GeneratorQualityStage.World, options, progress, count =>
            {
                using var batch = world.RenderBatch(WorldSeeds.HeldOut(next), count, resolution);
                next += count;
                worldA.Add(batch.Images, batch.Labels);
            }, cancellationToken);
            RunBatches(GeneratorQualityStage.SecondWorld, options, progress, count =>
            {
                using var batch = world.RenderBatch(WorldSeeds.HeldOut(next), count, resolution);
                next += count;
                worldB.Add(batch.Images, truth: null);
            }, cancellationToken);

            using (var scope = NewDisposeScope())
            {
                var worldFeatures = worldA.FeatureMatrix();
                frechet = FrechetDistance.Between(generated.FeatureMatrix(), worldFeatures);
                worldFrechet = FrechetDistance.Between(worldB.FeatureMatrix(), worldFeatures);
            }

            for (var label = 0; label < segmenter.Labels.Count; label++)
            {
                var worldShare = worldA.PredictedShare(label);
                double? truthShare = worldLabelOfSegmenterLabel[label] >= 0 ? worldA.TruthShare(worldLabelOfSegmenterLabel[label]) : null;
                var relative = RelativeDifference(generated.PredictedShare(label), worldShare);
                classes.Add(new ClassShareComparison
                {
                    Label = segmenter.Labels[label],
                    GeneratedShare = generated.PredictedShare(label),
                    WorldShare = worldShare,
                    SecondWorldShare = worldB.PredictedShare(label),
                    WorldTruthShare = truthShare,
                    RelativeDifference = relative,
                    RelativeDifferenceToTruth = truthShare is double t ? RelativeDifference(generated.PredictedShare(label), t) : null,
                    Checked = worldShare >= options.MinimumCheckedShare && worldShare > 0,
                    WithinTolerance = relative is double r && r <= options.RelativeTolerance,
                });
            }

            if (options.PictureDirectory is string directory)
            {
                Directory.CreateDirectory(directory);
                foreach (var (name, set) in new[] { ("generated-samples.png", generated), ("world-samples.png", worldA) })
                {
                    var path = Path.Combine(directory, name);
                    ContactSheet.SaveGrid(set.Pictures, options.PictureColumns, path, ContactSheet.ReadableTileSide);
                    LogPictureWritten(_logger, path);
                }
            }
        }
        finally
        {
            generated.DisposePictures();
            worldA.DisposePictures();
        }

        var checkedClasses = classes.Where(c => c.Checked).ToArray();
        var report = new GeneratorQualityReport
        {
            Resolution = resolution,
            GeneratedImages = generated.Images,
            WorldImages = worldA.Images,
            Classes = classes,
            FrechetDistance = frechet,
            WorldFrechetDistance = worldFrechet,
            SegmenterPixelAccuracy = worldA.TruthAccuracy(),
            RelativeTolerance = options.RelativeTolerance,
            ClassesChecked = checkedClasses.Length,
            ClassesWithinTolerance = checkedClasses.Count(c => c.WithinTolerance),
            SharesWithinTolerance = checkedClasses.All(c => c.WithinTolerance),
            Seconds = clock.Elapsed.TotalSeconds,
        };
        LogQualityFinished(_logger, frechet, worldFrechet, report.ClassesWithinTolerance, report.ClassesChecked, options.RelativeTolerance);
        return report;
    }

    /// <summary>|value − reference| / reference; null when the reference is 0 (no relative difference exists).</summary>
    internal static double? RelativeDifference(double value, double reference) =>
        reference > 0 ? Math.Abs(value - reference) / reference : null;

    private static int WorldLabelIndex(string name)
    {
        for (var i = 0; i < SceneLabels.Count; i++)
        {
            if (string.Equals(SceneLabels.Names[i], name, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        return -1;
    }

    private static void RunBatches(GeneratorQualityStage stage, GeneratorQualityOptions options, IProgress<GeneratorQualityProgress>? progress,
        Action<int> batch, CancellationToken cancellationToken)
    {
        for (var done = 0; done < options.Images;)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var count = Math.Min(options.BatchSize, options.Images - done);
            batch(count);
            done += count;
            progress?.Report(new GeneratorQualityProgress(stage, done, options.Images));
        }
    }

    [LoggerMessage(EventId = 300, Level = LogLevel.Information, Message = "Generator quality: {Images} generated images and two world samples of as many, at {Resolution}²")]
    private static partial void LogQualityStarting(ILogger logger, int images, int resolution);

    [LoggerMessage(EventId = 301, Level = LogLevel.Information,
        Message = "Generator quality: Fréchet distance {Frechet:F3} (world against world {WorldFrechet:F3}); {Within} of {Checked} class shares within {Tolerance:P0}")]
    private static partial void LogQualityFinished(ILogger logger, double frechet, double worldFrechet, int within, int @checked, double tolerance);

    [LoggerMessage(EventId = 302, Level = LogLevel.Information, Message = "Wrote {Path}")]
    private static partial void LogPictureWritten(ILogger logger, string path);

    /// <summary>What one image set contributes: predicted label counts, ground-truth counts and agreement, pooled
    /// features (kept as managed float64 rows so no tensor outlives its batch), and the first few images as pictures.</summary>
    private sealed class ImageSetStatistics(ConvolutionalSegmenter segmenter, int pictureCount, int[]? worldLabelOfSegmenterLabel = null)
    {
        private readonly long[] _predicted = new long[segmenter.Labels.Count];
        private readonly long[] _truth = new long[SceneLabels.Count];
        private readonly List<double> _features = [];
        private long _pixels;
        private long _agreeing;

        public int Images { get; private set; }

        public List<Image<Rgb24>> Pictures { get; } = [];

        public void Add(Tensor batch, Tensor? truth)
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            // A generator may overshoot [-1, 1]; the images are judged as they would be displayed and saved.
            var images = batch.clamp(-1, 1);
            var labels = segmenter.Predict(images);
            AddCounts(_predicted, labels.flatten().bincount(null, _predicted.Length));
            _features.AddRange(segmenter.Features(images).to(ScalarType.Float64).contiguous().data<double>());
            _pixels += labels.numel();
            Images += (int)images.shape[0];
            if (truth is not null && worldLabelOfSegmenterLabel is not null)
            {
                AddCounts(_truth, truth.flatten().bincount(null, _truth.Length));
                var lookup = tensor(worldLabelOfSegmenterLabel.Select(i => (long)i).ToArray());
                _agreeing += lookup.index_select(0, labels.flatten()).eq(truth.flatten()).sum().item<long>();
            }

            for (var i = 0; Pictures.Count < pictureCount && i < images.shape[0]; i++)
            {
                Pictures.Add(ImageTensor.ToImage(images[i]));
            }
        }

        public double PredictedShare(int label) => _predicted[label] / (double)_pixels;

        public double TruthShare(int label) => _truth[label] / (double)_pixels;

        public double TruthAccuracy() => _agreeing / (double)_pixels;

        public Tensor FeatureMatrix() => tensor(_features.ToArray(), [Images, segmenter.FeatureSize]);

        public void DisposePictures()
        {
            foreach (var picture in Pictures)
            {
                picture.Dispose();
            }

            Pictures.Clear();
        }

        private static void AddCounts(long[] totals, Tensor counts)
        {
            var values = counts.to(ScalarType.Int64).data<long>().ToArray();
            for (var i = 0; i < totals.Length; i++)
            {
                totals[i] += values[i];
            }
        }
    }
}
