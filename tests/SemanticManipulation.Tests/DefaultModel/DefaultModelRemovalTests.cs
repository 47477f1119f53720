using SemanticManipulation.Bundles;
using SemanticManipulation.Editing;
using Xunit;
using static TorchSharp.torch;

namespace SemanticManipulation.Tests.DefaultModel;

/// <summary>
/// The shipped default model's removal rankings do what they are for: on generated scenes the dissection never saw,
/// switching off a concept's units ranked for removal where the segmenter finds it takes more of it away than switching
/// off the same number of its add ranking's units (what <c>remove</c> used before the catalog had removal rankings).
/// </summary>
public sealed class DefaultModelRemovalTests(DefaultModelFixture fixture) : IClassFixture<DefaultModelFixture>
{
    private readonly ModelBundle _bundle = fixture.Bundle;

    [Theory]
    [InlineData("dome")]
    [InlineData("tree")]
    public void Units_ranked_for_removal_take_more_of_the_concept_away_than_the_add_rankings_units(string concept)
    {
        var catalog = _bundle.Catalog!;
        Assert.True(catalog.TryGetRemovalRanking(concept, out _), $"the shipped catalog has no removal ranking for {concept}");
        // The same catalog without removal rankings: remove then switches off the add ranking's units.
        var addRankingOnly = new ConceptCatalog(catalog.Layer, catalog.Levels, catalog.Concepts.Select(catalog.GetRanking),
            catalog.SquashUnits, catalog.LevelQuantile, catalog.Intensities, catalog.Source);
        var label = _bundle.Segmenter!.Labels.ToList().IndexOf(concept);
        var (before, byRemoval, byAdd, scenes) = (0.0, 0.0, 0.0, 0);

        // Seeds far from the dissection's streams (its seed 3 draws from generators seeded 3 to 6).
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
            byRemoval += Share(Remove(catalog, concept, r, mask), label, mask).Share;
            byAdd += Share(Remove(addRankingOnly, concept, r, mask), label, mask).Share;
        }

        Assert.True(scenes >= 8, $"only {scenes} of 200 scenes show {concept}");
        var (removalDrop, addDrop) = ((before - byRemoval) / scenes, (before - byAdd) / scenes);
        Assert.True(removalDrop > addDrop,
            $"{concept} in the mask, mean of {scenes} scenes: {before / scenes:P1} -> {byRemoval / scenes:P1} with the removal ranking, " +
            $"{byAdd / scenes:P1} with the add ranking's units");
    }

    private Tensor Remove(ConceptCatalog catalog, string concept, Tensor r, Tensor mask)
    {
        var session = EditSession.For(_bundle.Generator);
        var edit = new RemoveConcept(concept, mask) { UnitCount = catalog.Intensities.High };
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
