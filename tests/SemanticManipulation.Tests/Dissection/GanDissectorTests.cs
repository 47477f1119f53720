using SemanticManipulation.Diagnostics;
using SemanticManipulation.Dissection;
using SemanticManipulation.Editing;
using SemanticManipulation.Tests.Editing;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace SemanticManipulation.Tests.Dissection;

/// <summary>Dissection of the planted generator against the colour segmenter.</summary>
public sealed class GanDissectorTests(PlantedModel model) : IClassFixture<PlantedModel>
{
    [Fact]
    public void The_planted_units_rank_first_for_their_concepts()
    {
        var result = model.Dissection;
        var catalog = result.Catalog;

        string[] concepts = ["red", "blue"];
        Assert.Equal(concepts, catalog.Concepts);
        Assert.Equal("layer4", catalog.Layer);
        Assert.Equal(PlantedGenerator.Channels, catalog.UnitCount);
        var red = catalog.GetRanking("red");
        var blue = catalog.GetRanking("blue");
        Assert.Equal("iou", red.Metric);
        Assert.Equal(PlantedGenerator.RedUnit, red.Units[0].Unit);
        Assert.Equal(PlantedGenerator.BlueUnit, blue.Units[0].Unit);
        // By a wide margin: the planted unit matches its concept several times better than any other unit.
        Assert.True(red.Units[0].Score > 0.5 && red.Units[0].Score > 2 * red.Units[1].Score, red.ToString());
        Assert.True(blue.Units[0].Score > 0.5 && blue.Units[0].Score > 2 * blue.Units[1].Score, blue.ToString());
        Assert.Equal(red.Units[0].Score, result.IoU("red", PlantedGenerator.RedUnit));
        Assert.True(result.InformationQualityRatio("red", PlantedGenerator.RedUnit) > result.InformationQualityRatio("red", PlantedGenerator.BlueUnit));
        Assert.True(result.Threshold("red", PlantedGenerator.RedUnit) > 0);
        Assert.InRange(result.LabelFractions[0], 0.1, 0.35);
    }

    [Fact]
    public void Levels_are_the_units_q99_over_random_samples()
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        // The same 256 latents the dissection streamed (seed 0), quantiles computed exactly.
        var random = new TorchSharp.torch.Generator(0, CPU).manual_seed(0);
        var all = cat(Enumerable.Range(0, 16).Select(_ => model.Generator.Early(randn(16, 8, generator: random))).ToList(), 0);
        var exact = all.permute(1, 0, 2, 3).reshape(PlantedGenerator.Channels, -1).quantile(tensor(0.99f), dim: 1);

        for (var unit = 0; unit < PlantedGenerator.Channels; unit++)
        {
            var expected = exact[unit].item<float>();
            Assert.True(Math.Abs(model.Catalog.Levels[unit] - expected) < 0.01 * Math.Abs(expected) + 1e-3,
                $"unit {unit}: {model.Catalog.Levels[unit]} vs exact {expected}");
        }
    }

    [Fact]
    public void The_same_seed_gives_the_same_catalog_and_another_seed_the_same_planted_units()
    {
        var again = new GanDissector().Dissect(model.Generator, model.Segmenter, PlantedModel.Options(seed: 0));
        var other = new GanDissector().Dissect(model.Generator, model.Segmenter, PlantedModel.Options(seed: 9));

        Assert.Equal(model.Catalog.ToJson(), again.Catalog.ToJson());
        Assert.NotEqual(model.Catalog.ToJson(), other.Catalog.ToJson());
        Assert.Equal(PlantedGenerator.RedUnit, other.Catalog.GetRanking("red").Units[0].Unit);
        Assert.Equal(PlantedGenerator.BlueUnit, other.Catalog.GetRanking("blue").Units[0].Unit);
    }

    [Fact]
    public void Progress_covers_both_passes_and_cancellation_stops_the_run()
    {
        var reports = new List<DissectionProgress>();
        var options = PlantedModel.Options(seed: 1);
        options.QuantileSamples = 40;
        options.SegmentationSamples = 20;
        options.SquashUnits = [PlantedGenerator.BlueUnit];
        var result = new GanDissector().Dissect(model.Generator, model.Segmenter, options, new SynchronousProgress<DissectionProgress>(reports.Add));

        int[] levels = [16, 32, 40];
        int[] overlaps = [16, 20];
        Assert.Equal(levels, reports.Where(r => r.Stage == DissectionStage.Quantiles).Select(r => r.Completed));
        Assert.Equal(overlaps, reports.Where(r => r.Stage == DissectionStage.Overlap).Select(r => r.Completed));
        Assert.All(reports, r => Assert.True(r.Elapsed >= TimeSpan.Zero));
        Assert.Contains(PlantedGenerator.BlueUnit, result.Catalog.SquashUnits);
        Assert.DoesNotContain(PlantedGenerator.BlueUnit, result.Catalog.SelectUnits("blue", 4));

        using var cancellation = new CancellationTokenSource();
        var progress = new SynchronousProgress<DissectionProgress>(p =>
        {
            if (p.Stage == DissectionStage.Overlap)
            {
                cancellation.Cancel();
            }
        });
        Assert.Throws<OperationCanceledException>(() =>
            new GanDissector().Dissect(model.Generator, model.Segmenter, options, progress, cancellation.Token));
    }

    [Fact]
    public void The_catalog_carries_the_options_intensities_and_edits_use_them()
    {
        var options = PlantedModel.Options(seed: 0);
        options.Intensities = new IntensityUnitCounts(1, 2, 3);

        var catalog = new GanDissector().Dissect(model.Generator, model.Segmenter, options).Catalog;
        var reloaded = ConceptCatalog.Parse(catalog.ToJson());

        Assert.Equal(IntensityUnitCounts.Default, model.Catalog.Intensities);   // none given: the Studio's
        Assert.Equal(new IntensityUnitCounts(1, 2, 3), reloaded.Intensities);
        Assert.Equal(3, ((IConceptCatalog)reloaded).SelectUnits("red", reloaded.Intensities.For(ConceptIntensity.High)).Count);
    }

    [Fact]
    public void Bad_options_and_segmenters_are_refused()
    {
        var tooMany = Assert.Throws<ArgumentOutOfRangeException>(() => new GanDissector().Dissect(model.Generator, model.Segmenter,
            new DissectionOptions { UnitsPerConcept = 5, Intensities = new IntensityUnitCounts(2, 4, 6) }));
        Assert.Contains("UnitsPerConcept = 5", tooMany.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            new GanDissector().Dissect(model.Generator, model.Segmenter, new DissectionOptions { LevelQuantile = 1.5 }));
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            new GanDissector().Dissect(model.Generator, model.Segmenter, new DissectionOptions { SegmentationSamples = 0 }));
        using var wrong = new HalfSizeSegmenter();
        var error = Assert.Throws<ArgumentException>(() =>
            new GanDissector().Dissect(model.Generator, wrong, new DissectionOptions { QuantileSamples = 8, SegmentationSamples = 8 }));
        Assert.Contains("[8, 1, 32, 32]", error.Message, StringComparison.Ordinal);
    }

    private sealed class HalfSizeSegmenter : ISegmenter
    {
        public IReadOnlyList<string> Labels { get; } = ["thing"];

        public Tensor Segment(Tensor images) => zeros(images.shape[0], 1, 16, 16);

        public void Dispose()
        {
        }
    }
}
