using SemanticManipulation.Diagnostics;
using SemanticManipulation.Dissection;
using SemanticManipulation.Generators;
using SemanticManipulation.Tests.Editing;
using Xunit;
using static TorchSharp.torch;

namespace SemanticManipulation.Tests.Dissection;

/// <summary>Ranking units by causal effect on the planted generator, with a twin of the red unit that fires exactly
/// where the red unit does but paints nothing.</summary>
public sealed class CausalRankingTests : IDisposable
{
    private const int Twin = RedTwinGenerator.Twin;
    private readonly ProGanGenerator _generator = RedTwinGenerator.Create();
    private readonly ColorThresholdSegmenter _segmenter = new();

    public void Dispose()
    {
        _segmenter.Dispose();
        _generator.Dispose();
    }

    [Fact]
    public void IoU_cannot_tell_the_twin_from_the_red_unit_but_the_causal_effect_can()
    {
        var byIoU = new GanDissector().Dissect(_generator, _segmenter, RedTwinGenerator.Options(null)).Catalog.GetRanking("red");
        var reports = new List<DissectionProgress>();
        var result = new GanDissector().Dissect(_generator, _segmenter, RedTwinGenerator.Options(new CausalRankingOptions { Candidates = 8, Samples = 32 }),
            new SynchronousProgress<DissectionProgress>(reports.Add));
        var byEffect = result.Catalog.GetRanking("red");

        // Same activations, same IoU: the tie goes to the lower unit, the twin.
        Assert.Equal("iou", byIoU.Metric);
        Assert.Equal([Twin, PlantedGenerator.RedUnit], byIoU.Units.Take(2).Select(u => u.Unit));
        Assert.Equal(byIoU.Units[0].Score, byIoU.Units[1].Score);

        // Switched on in a square, the red unit paints most of it red; the twin paints nothing red.
        Assert.Equal("ace", byEffect.Metric);
        Assert.Equal(PlantedGenerator.RedUnit, byEffect.Units[0].Unit);
        Assert.True(byEffect.Units[0].Score > 0.3, byEffect.ToString());
        Assert.DoesNotContain(byEffect.Units, u => u.Unit == Twin && u.Score >= byEffect.Units[0].Score / 10);
        Assert.Equal(PlantedGenerator.BlueUnit, result.Catalog.GetRanking("blue").Units[0].Unit);
        Assert.All(byEffect.Units.Skip(1), u => Assert.True(u.Score > 0, byEffect.ToString()));   // only units that help

        int[] concepts = [1, 2];
        Assert.Equal(concepts, reports.Where(r => r.Stage == DissectionStage.Intervention).Select(r => r.Completed));
    }

    [Fact]
    public void The_same_seed_gives_the_same_causal_ranking()
    {
        var causal = new CausalRankingOptions { Candidates = 6, Samples = 16, RegionCells = 2 };
        var first = new GanDissector().Dissect(_generator, _segmenter, RedTwinGenerator.Options(causal)).Catalog.ToJson();
        var second = new GanDissector().Dissect(_generator, _segmenter, RedTwinGenerator.Options(causal)).Catalog.ToJson();

        Assert.Equal(first, second);
    }

    [Fact]
    public void Bad_causal_options_are_refused()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() =>
            new GanDissector().Dissect(_generator, _segmenter, RedTwinGenerator.Options(new CausalRankingOptions { Samples = 0 })));

        Assert.Equal(nameof(CausalRankingOptions.Samples), error.ParamName);
    }
}
