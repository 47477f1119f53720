using System.Text.Json.Nodes;
using SemanticManipulation.Editing;
using Xunit;

namespace SemanticManipulation.Tests.Editing;

/// <summary>A catalog's removal rankings: kept through the project's schema, optional in files written before them, and
/// refused when they do not fit the catalog.</summary>
public sealed class RemovalRankingCatalogTests
{
    private static readonly float[] Levels = [1f, 2f, 3f, 4f, 5f];

    private static ConceptCatalog Catalog(params ConceptRanking[] removals) => new(
        "layer4",
        Levels,
        [new ConceptRanking("tree", "ace", [new RankedUnit(0, 0.5f), new RankedUnit(1, 0.25f), new RankedUnit(2, 0.125f)]),
         new ConceptRanking("dome", "ace", [new RankedUnit(3, 0.5f)])],
        squashUnits: [4],
        source: "hand-made",
        removalRankings: removals);

    [Fact]
    public void Removal_rankings_round_trip_through_the_projects_schema()
    {
        var catalog = Catalog(new ConceptRanking("tree", "ablation", [new RankedUnit(2, 0.75f), new RankedUnit(4, 0.5f), new RankedUnit(1, 0.0625f)]));

        var restored = ConceptCatalog.Parse(catalog.ToJson());

        Assert.True(restored.TryGetRemovalRanking("TREE", out var removal));
        Assert.Equal("ablation", removal.Metric);
        Assert.Equal(catalog.GetRanking("tree").Units, restored.GetRanking("tree").Units);
        int[] units = [2, 4, 1];
        Assert.Equal(units, removal.Units.Select(u => u.Unit));
        Assert.Equal(0.0625f, removal.Units[2].Score);
        Assert.False(restored.TryGetRemovalRanking("dome", out _));
        Assert.Equal(catalog.ToJson(), restored.ToJson());
        // Squash units are skipped in the removal ranking too.
        int[] removed = [2, 1];
        Assert.Equal(removed, restored.SelectUnitsToRemove("tree", 3));
        Assert.Equal(removed, restored.WithSquashUnits([4]).SelectUnitsToRemove("tree", 3));
    }

    [Fact]
    public void A_catalog_file_without_removal_rankings_loads_and_removes_with_the_concepts_units()
    {
        // The schema as version 1 files were written before removal rankings existed.
        const string older = """
            {
              "format": "semantic-manipulation.concept-catalog",
              "version": 1,
              "layer": "layer4",
              "level_quantile": 0.99,
              "levels": [1, 2, 3, 4, 5],
              "squash_units": [],
              "intensities": { "low": 1, "medium": 2, "high": 3 },
              "concepts": [ { "name": "tree", "metric": "ace", "units": [3, 1, 0], "scores": [0.5, 0.25, 0.125] } ]
            }
            """;

        var catalog = ConceptCatalog.Parse(older);

        Assert.False(catalog.TryGetRemovalRanking("tree", out _));
        int[] units = [3, 1];
        Assert.Equal(units, catalog.SelectUnitsToRemove("tree", 2));
        Assert.DoesNotContain("removal", catalog.ToJson(), StringComparison.Ordinal);
        Assert.Throws<UnknownConceptException>(() => catalog.SelectUnitsToRemove("dome", 2));
    }

    [Fact]
    public void The_authors_catalog_has_no_removal_rankings_and_removes_with_its_own()
    {
        var catalog = ConceptCatalog.ImportAuthors(EditingFixtures.ChurchCatalog);

        Assert.False(catalog.TryGetRemovalRanking("tree", out _));
        Assert.Equal(catalog.SelectUnits("tree", 15), catalog.SelectUnitsToRemove("tree", 15));
    }

    [Fact]
    public void A_removal_ranking_that_does_not_fit_the_catalog_is_refused_with_the_reason()
    {
        var unknown = Assert.Throws<ArgumentException>(() => Catalog(new ConceptRanking("spire", "ablation", [new RankedUnit(0, 1f)])));
        Assert.Contains("'spire' names no concept of the catalog (tree, dome)", unknown.Message, StringComparison.Ordinal);

        var outside = Assert.Throws<ArgumentException>(() => Catalog(new ConceptRanking("tree", "ablation", [new RankedUnit(5, 1f)])));
        Assert.Contains("ranks unit 5, but the layer has 5 units", outside.Message, StringComparison.Ordinal);

        var twice = Assert.Throws<ArgumentException>(() => Catalog(
            new ConceptRanking("tree", "ablation", [new RankedUnit(0, 1f)]), new ConceptRanking("Tree", "ablation", [new RankedUnit(1, 1f)])));
        Assert.Contains("two removal rankings", twice.Message, StringComparison.Ordinal);

        var document = JsonNode.Parse(Catalog(new ConceptRanking("tree", "ablation", [new RankedUnit(0, 1f)])).ToJson())!;
        document["concepts"]![0]!["removal"]!["scores"] = new JsonArray();
        var broken = Assert.Throws<InvalidDataException>(() => ConceptCatalog.Parse(document.ToJsonString(), "broken.json"));
        Assert.Contains("removal ranking of concept 'tree' has 1 units but 0 scores", broken.Message, StringComparison.Ordinal);
    }
}
