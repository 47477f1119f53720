using SemanticManipulation.Diagnostics;
using System.Text.Json;
using System.Text.Json.Serialization;
using SemanticManipulation.Training.Data;
using SemanticManipulation.Training.Evaluation;
using static TorchSharp.torch;

namespace SemanticManipulation.Training.Tests.Evaluation;

[Collection(TinyBundleGroup.Name)]
public sealed class GeneratorQualityEvaluatorTests(TinyBundle model)
{
    private static readonly JsonSerializerOptions Json = new() { NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals };

    [Fact]
    public void A_barely_trained_generator_is_far_from_the_world_and_the_report_round_trips_as_json()
    {
        var pictures = Path.Combine(model.Directory, "quality-pictures");
        var progress = new List<GeneratorQualityProgress>();
        var options = new GeneratorQualityOptions { Images = 24, BatchSize = 10, PictureDirectory = pictures, PictureColumns = 4, PictureRows = 2 };

        var report = new GeneratorQualityEvaluator().Evaluate(model.Bundle.Generator, model.Segmenter, model.World, options,
            new SynchronousProgress<GeneratorQualityProgress>(progress.Add));

        Assert.Equal(24, report.GeneratedImages);
        Assert.Equal(24, report.WorldImages);
        Assert.Equal(model.Segmenter.Labels, report.Classes.Select(c => c.Label));
        foreach (var shares in new Func<ClassShareComparison, double>[] { c => c.GeneratedShare, c => c.WorldShare, c => c.SecondWorldShare, c => c.WorldTruthShare!.Value })
        {
            Assert.Equal(1, report.Classes.Sum(shares), 6);
        }

        // Three steps of GAN training make noise, not scenes: much further from the world than another world sample is.
        Assert.True(report.FrechetDistance > 3 * report.WorldFrechetDistance,
            $"generated-world {report.FrechetDistance:F3}, world-world {report.WorldFrechetDistance:F3}");
        Assert.Equal(report.Classes.Count(c => c.Checked && c.WithinTolerance), report.ClassesWithinTolerance);
        Assert.Equal([3, 3, 3], progress.GroupBy(p => p.Stage).Select(g => g.Count()));
        Assert.Equal([10, 20, 24], progress.Where(p => p.Stage == GeneratorQualityStage.Generated).Select(p => p.Completed));
        Assert.True(File.Exists(Path.Combine(pictures, "generated-samples.png")));
        Assert.True(File.Exists(Path.Combine(pictures, "world-samples.png")));

        var copy = JsonSerializer.Deserialize<GeneratorQualityReport>(JsonSerializer.Serialize(report, Json), Json)!;
        Assert.Equal(report.FrechetDistance, copy.FrechetDistance);
        Assert.Equal(report.Classes, copy.Classes);
    }

    [Fact]
    public void World_images_standing_in_for_the_generator_match_the_world()
    {
        // A "generator" that draws held-out world scenes (from another seed range) is the perfect generator: its class
        // shares agree with the world's within sampling noise, and its distance is that of two world samples.
        var next = 50_000L;
        var options = new GeneratorQualityOptions { Images = 96, BatchSize = 32, RelativeTolerance = 0.25, MinimumCheckedShare = 0.05 };

        var report = new GeneratorQualityEvaluator().Evaluate(count =>
        {
            using var batch = model.World.RenderBatch(WorldSeeds.HeldOut(next), count, TinyBundle.Resolution);
            next += count;
            return batch.Images.clone();
        }, TinyBundle.Resolution, model.Segmenter, model.World, options, progress: null, CancellationToken.None);

        Assert.True(report.ClassesChecked >= 3, $"{report.ClassesChecked} classes checked");
        Assert.True(report.SharesWithinTolerance, string.Join("; ", report.Classes.Select(c => $"{c.Label} {c.GeneratedShare:P1} vs {c.WorldShare:P1}")));
        Assert.True(report.FrechetDistance < 3 * report.WorldFrechetDistance,
            $"generated-world {report.FrechetDistance:F3}, world-world {report.WorldFrechetDistance:F3}");
    }

    [Fact]
    public void A_cancelled_evaluation_stops_and_writes_nothing()
    {
        var pictures = Path.Combine(model.Directory, "cancelled-pictures");
        using var cancellation = new CancellationTokenSource();
        cancellation.Cancel();

        Assert.ThrowsAny<OperationCanceledException>(() => new GeneratorQualityEvaluator().Evaluate(model.Bundle.Generator, model.Segmenter,
            model.World, new GeneratorQualityOptions { Images = 4, PictureDirectory = pictures }, cancellationToken: cancellation.Token));
        Assert.False(Directory.Exists(pictures));
    }
}
