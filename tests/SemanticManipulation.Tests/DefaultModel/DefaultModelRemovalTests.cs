using SemanticManipulation.Bundles;
using SemanticManipulation.Dissection;
using SemanticManipulation.Editing;
using Xunit;
using static TorchSharp.torch;

namespace SemanticManipulation.Tests.DefaultModel;

/// <summary>
/// Ranking for removal on the shipped default model, a real generator with its segmenter: among the same candidates
/// (the concept's add ranking), the units ranked by ablation, switched off where the segmenter finds the concept on
/// generated scenes the ranking never saw, take more of it away than as many of the add ranking's units (what
/// <c>remove</c> uses when a catalog has no removal ranking).
/// </summary>
[Trait("Category", "Heavy")]
public sealed class DefaultModelRemovalTests(DefaultModelFixture fixture) : IClassFixture<DefaultModelFixture>
{
    private readonly ModelBundle _bundle = fixture.Bundle;

    [Theory]
    [InlineData("dome")]
    [InlineData("tree")]
    public void Units_ranked_for_removal_take_more_of_the_concept_away_than_the_add_rankings_units(string concept)
    {
        var catalog = _bundle.Catalog!;
        var generator = _bundle.Generator;
        var segmenter = _bundle.Segmenter!;
        var label = segmenter.Labels.ToList().IndexOf(concept);
        var candidates = catalog.GetRanking(concept).Units.Select(u => u.Unit).ToArray();
        ConceptRanking removal;
        using (var noGrad = no_grad())
        using (var pool = new ConceptScenePool(generator, segmenter, scenes: 64, batchSize: 16, seed: 7))
        {
            var (showing, cells) = pool.Showing(label, 16)!.Value;
            using var ranker = CausalUnitRanker.ForRemoving(generator, segmenter, showing, cells);
            removal = new ConceptRanking(concept, "ablation", ranker.Rank(label, candidates, catalog.Levels, candidates.Length, CancellationToken.None));
        }

        // The add ranking alone, and with the removal ranking beside it.
        var addRankingOnly = new ConceptCatalog(catalog.Layer, catalog.Levels, catalog.Concepts.Select(catalog.GetRanking),
            catalog.SquashUnits, catalog.LevelQuantile, catalog.Intensities, catalog.Source);
        var withRemoval = new ConceptCatalog(catalog.Layer, catalog.Levels, catalog.Concepts.Select(catalog.GetRanking),
            catalog.SquashUnits, catalog.LevelQuantile, catalog.Intensities, catalog.Source, [removal]);
        // Few units, so that which ones are chosen matters (the low intensity's count).
        var count = catalog.Intensities.Low;
        Assert.NotEqual(addRankingOnly.SelectUnitsToRemove(concept, count).Order(), withRemoval.SelectUnitsToRemove(concept, count).Order());
        var (before, byRemoval, byAdd, scenes) = (0.0, 0.0, 0.0, 0);

        // Scenes of other seeds than the ranking's (a generator seeded 7).
        for (var seed = 1000L; seed < 1200 && scenes < 12; seed++)
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            var z = randn(1, _bundle.Generator.LatentSize, generator: new TorchSharp.torch.Generator(0, CPU).manual_seed(seed));
            var r = _bundle.Generator.Early(z);
            var mask = Share(r, label, null).Mask;
            var share = Share(r, label, mask).Share;
            // Scenes where the concept covers at least 2 % of the picture, as a user would paint over it.
            if (mask.mean().item<float>() < 0.02f)
            {
                continue;
            }

            scenes++;
            before += share;
            byRemoval += Share(Remove(withRemoval, concept, count, r, mask), label, mask).Share;
            byAdd += Share(Remove(addRankingOnly, concept, count, r, mask), label, mask).Share;
        }

        Assert.True(scenes >= 8, $"only {scenes} of 200 scenes show {concept}");
        var (removalDrop, addDrop) = ((before - byRemoval) / scenes, (before - byAdd) / scenes);
        Assert.True(removalDrop > addDrop,
            $"{concept} in the mask, mean of {scenes} scenes: {before / scenes:P1} -> {byRemoval / scenes:P1} with the removal ranking, " +
            $"{byAdd / scenes:P1} with the add ranking's units ({removal})");
    }

    private Tensor Remove(ConceptCatalog catalog, string concept, int count, Tensor r, Tensor mask)
    {
        var session = EditSession.For(_bundle.Generator);
        var edit = new RemoveConcept(concept, mask) { UnitCount = count };
        session.Push(EditOperatorRegistry.CreateDefault().CreateStroke(edit, new EditContext(_bundle.Generator, catalog)));
        return session.Apply(r);
    }

    /// <summary>The segmenter's mask of the label on the rendered scene, and its share of <paramref name="mask"/>.</summary>
    private (Tensor Mask, double Share) Share(Tensor r, int label, Tensor? mask)
    {
        var present = (_bundle.Segmenter!.Segment(_bundle.Generator.Late(r)).narrow(1, label, 1) >= 0.5f).to(ScalarType.Float32);
        var region = mask ?? present;
        var inside = region.sum().item<float>();
        return (present, inside == 0 ? 0 : (present * region).sum().item<float>() / inside);
    }
}
