using SemanticManipulation.Dissection;
using SemanticManipulation.Editing;
using SemanticManipulation.Generators;
using SemanticManipulation.Imaging;
using SemanticManipulation.Tests.Editing;
using Xunit;
using static TorchSharp.torch;

namespace SemanticManipulation.Tests.Dissection;

/// <summary>
/// Ranking units for removal by ablation on the planted generator, with a twin of the red unit that fires exactly where
/// the red unit does but paints nothing red: IoU cannot tell them apart, switching them off where red is can.
/// </summary>
public sealed class RemovalRankingTests : IDisposable
{
    private const int Twin = RedTwinGenerator.Twin;
    private const string Red = ColorThresholdSegmenter.Red;
    private readonly ProGanGenerator _generator = RedTwinGenerator.Create();
    private readonly ColorThresholdSegmenter _segmenter = new();

    public void Dispose()
    {
        _segmenter.Dispose();
        _generator.Dispose();
    }

    private ConceptCatalog Dissect(CausalRankingOptions? causal) => new GanDissector().Dissect(_generator, _segmenter, RedTwinGenerator.Options(causal)).Catalog;

    [Fact]
    public void Switching_units_off_where_red_is_ranks_the_red_unit_first_and_not_its_twin_that_paints_nothing()
    {
        var catalog = Dissect(new CausalRankingOptions { Candidates = 8, Samples = 16 });

        Assert.True(catalog.TryGetRemovalRanking(Red, out var removal));
        Assert.Equal("ablation", removal.Metric);
        Assert.Equal(PlantedGenerator.RedUnit, removal.Units[0].Unit);
        // Switched off in the cells red touches, the red unit takes most of the red there away; the twin none.
        Assert.True(removal.Units[0].Score > 0.3, removal.ToString());
        Assert.DoesNotContain(removal.Units, u => u.Unit == Twin && u.Score >= removal.Units[0].Score / 10);
        Assert.All(removal.Units.Skip(1), u => Assert.True(u.Score > 0, removal.ToString()));   // only units that help
        Assert.True(catalog.TryGetRemovalRanking("blue", out var blue));
        Assert.Equal(PlantedGenerator.BlueUnit, blue.Units[0].Unit);
        Assert.Equal(removal.Units.Select(u => u.Unit).Take(2), catalog.SelectUnitsToRemove(Red, 2));
    }

    [Fact]
    public void Removing_with_the_removal_ranking_clears_red_where_the_iou_rankings_first_unit_leaves_it()
    {
        using var scope = NewDisposeScope();
        // The IoU ranking puts the twin first (a tie, won by the lower unit); the ablation ranking the red unit.
        var byIoU = Dissect(null);
        var ranked = Dissect(new CausalRankingOptions { Candidates = 8, Samples = 16 });
        Assert.True(ranked.TryGetRemovalRanking(Red, out var removal));
        var withRemoval = new ConceptCatalog(byIoU.Layer, byIoU.Levels, byIoU.Concepts.Select(byIoU.GetRanking), byIoU.SquashUnits,
            byIoU.LevelQuantile, byIoU.Intensities, byIoU.Source, [removal]);
        Assert.Equal(Twin, byIoU.GetRanking(Red).Units[0].Unit);

        var mask = EditMask.Rectangle(32, 8, 8, 16, 16);
        var (r, before) = RedScene(mask);
        var withoutRemovalRanking = RemoveRed(byIoU, r, mask);
        var withRemovalRanking = RemoveRed(withRemoval, r, mask);

        Assert.True(withRemovalRanking < 0.05, $"red in the mask {before:P0} -> {withRemovalRanking:P0} with the removal ranking");
        Assert.True(withoutRemovalRanking > before / 2, $"red in the mask {before:P0} -> {withoutRemovalRanking:P0} with the IoU ranking's unit");
    }

    [Fact]
    public void Without_the_removal_ranking_remove_uses_the_concepts_ranking()
    {
        var catalog = Dissect(new CausalRankingOptions { Candidates = 8, Samples = 16, RankForRemoval = false });

        Assert.False(catalog.TryGetRemovalRanking(Red, out _));
        Assert.Equal(catalog.SelectUnits(Red, 3), catalog.SelectUnitsToRemove(Red, 3));
        Assert.False(Dissect(null).TryGetRemovalRanking(Red, out _));
    }

    [Fact]
    public void The_same_seed_gives_the_same_removal_ranking()
    {
        var causal = new CausalRankingOptions { Candidates = 6, Samples = 8, RegionCells = 2 };

        Assert.Equal(Dissect(causal).ToJson(), Dissect(causal).ToJson());
    }

    /// <summary>The red share in <paramref name="mask"/> after removing red there with one unit.</summary>
    private double RemoveRed(ConceptCatalog catalog, Tensor r, Tensor mask)
    {
        using var scope = NewDisposeScope();
        var session = EditSession.For(_generator);
        session.Push(EditOperatorRegistry.CreateDefault().CreateStroke(new RemoveConcept(Red, mask) { UnitCount = 1 }, new EditContext(_generator, catalog)));
        using var noGrad = no_grad();
        return _segmenter.Fraction(_generator.Late(session.Apply(r)), Red, mask);
    }

    /// <summary>The first seeded scene with at least 40 % red in <paramref name="mask"/>, and that share.</summary>
    private (Tensor R, double Red) RedScene(Tensor mask)
    {
        using var noGrad = no_grad();
        for (var seed = 0; seed < 200; seed++)
        {
            using var scope = NewDisposeScope();
            var z = randn(1, _generator.LatentSize, generator: new TorchSharp.torch.Generator(0, CPU).manual_seed(seed));
            var r = _generator.Early(z);
            var share = _segmenter.Fraction(_generator.Late(r), Red, mask);
            if (share > 0.4)
            {
                return (r.MoveToOuterDisposeScope(), share);
            }
        }

        throw new InvalidOperationException("No seed below 200 gives a scene with 40 % red in the mask.");
    }
}
