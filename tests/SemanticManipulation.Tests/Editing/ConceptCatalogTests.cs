using SemanticManipulation.Editing;
using Xunit;

namespace SemanticManipulation.Tests.Editing;

/// <summary>The authors' church catalog (gandissect demo, MIT) imported and round-tripped through the project's schema.</summary>
public sealed class ConceptCatalogTests
{
    [Fact]
    public void The_authors_church_catalog_imports_with_its_levels_rankings_and_squash_unit()
    {
        var catalog = ConceptCatalog.ImportAuthors(EditingFixtures.ChurchCatalog);

        Assert.Equal("layer4", catalog.Layer);
        Assert.Equal(512, catalog.UnitCount);
        Assert.Equal(512, catalog.Levels.Count);
        Assert.Equal(0.99, catalog.LevelQuantile);
        Assert.Equal(6.593637f, catalog.Levels[0]);
        Assert.Equal(IntensityUnitCounts.Default, catalog.Intensities);
        // 37 rankings: 32 labels by IoU (one the unlabeled placeholder "-", all scores 0) and 5 of them again by ACE.
        Assert.Equal(31, catalog.Concepts.Count);
        Assert.DoesNotContain("-", catalog.Concepts);
        Assert.Contains("dome", catalog.Concepts);
        // Unit 418 is not marked in the file; its q99 level (76.2 against a median of 7.2) gives it away.
        int[] squash = [418];
        Assert.Equal(squash, catalog.SquashUnits);
        Assert.Equal(76.162216f, catalog.Levels[418]);

        // GANPaint's recipes choose the metric: tree by ACE, sky by IoU; otherwise IoU. Scores become "higher is better".
        Assert.Equal("ace", catalog.GetRanking("tree").Metric);
        Assert.Equal("iou", catalog.GetRanking("sky").Metric);
        Assert.Equal("iou", catalog.GetRanking("person").Metric);
        Assert.Equal(new RankedUnit(257, 0.52212f), catalog.GetRanking("SKY").Units[0]);
        Assert.Equal(20, catalog.GetRanking("sky").Units.Count);

        // Tree's ACE ranking holds 418 in 7th place: edits skip it.
        var tree = catalog.GetRanking("tree").Units.Select(u => u.Unit).ToList();
        Assert.Equal(6, tree.IndexOf(418));
        var high = catalog.SelectUnits("tree", catalog.Intensities.For(ConceptIntensity.High));
        Assert.Equal(15, high.Count);
        Assert.DoesNotContain(418, high);
        Assert.Equal(tree.Where(u => u != 418).Take(15), high);
        int[] low = [119, 125, 157, 195];
        Assert.Equal(low, catalog.SelectUnits("tree", catalog.Intensities.Low));
    }

    [Fact]
    public void The_catalog_round_trips_through_the_projects_schema_exactly()
    {
        using var directory = Fixture.TempDirectory();
        var imported = ConceptCatalog.ImportAuthors(EditingFixtures.ChurchCatalog);
        var path = directory.File("church.concepts.json");

        imported.Save(path);
        var restored = ConceptCatalog.Load(path);

        Assert.Equal(imported.Layer, restored.Layer);
        Assert.Equal(imported.LevelQuantile, restored.LevelQuantile);
        Assert.Equal(imported.Levels, restored.Levels);
        Assert.Equal(imported.SquashUnits.Order(), restored.SquashUnits.Order());
        Assert.Equal(imported.Intensities, restored.Intensities);
        Assert.Equal(imported.Source, restored.Source);
        Assert.Equal(imported.Concepts, restored.Concepts);
        foreach (var concept in imported.Concepts)
        {
            Assert.Equal(imported.GetRanking(concept).Metric, restored.GetRanking(concept).Metric);
            Assert.Equal(imported.GetRanking(concept).Units, restored.GetRanking(concept).Units);
        }

        Assert.Equal(imported.ToJson(), restored.ToJson());
    }

    [Fact]
    public void Squash_units_can_be_given_or_detection_turned_off()
    {
        var given = ConceptCatalog.ImportAuthors(EditingFixtures.ChurchCatalog, new AuthorsCatalogOptions { SquashUnits = [418, 145] });
        var none = ConceptCatalog.ImportAuthors(EditingFixtures.ChurchCatalog, new AuthorsCatalogOptions { SquashLevelRatio = null });

        int[] both = [145, 418];
        Assert.Equal(both, given.SquashUnits.Order());
        Assert.Empty(none.SquashUnits);
        Assert.Contains(418, none.SelectUnits("tree", 15));
        int[] replaced = [418, 3];
        Assert.Equal(replaced, given.WithSquashUnits([3, 418]).SquashUnits.Order().Reverse());
    }

    [Fact]
    public void An_unknown_concept_error_lists_the_known_ones_and_suggests_the_closest()
    {
        var catalog = ConceptCatalog.ImportAuthors(EditingFixtures.ChurchCatalog);

        var error = Assert.Throws<UnknownConceptException>(() => catalog.GetRanking("tre"));

        Assert.Equal("tre", error.Concept);
        Assert.Equal(catalog.Concepts, error.KnownConcepts);
        Assert.Contains("tree, door, person", error.Message, StringComparison.Ordinal);
        Assert.Contains("Did you mean 'tree'?", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Did you mean", Assert.Throws<UnknownConceptException>(() => catalog.SelectUnits("spaceship", 4)).Message,
            StringComparison.Ordinal);
    }

    [Fact]
    public void Files_that_are_not_catalogs_are_refused_with_the_reason()
    {
        using var directory = Fixture.TempDirectory();
        var other = directory.File("other.json");
        File.WriteAllText(other, "{\"hello\": 1}");
        var broken = directory.File("broken.json");
        File.WriteAllText(broken, "{\"rankings\": {\"tree-iou\": {\"top20_units\": [1, 2]}}, \"levels_q99\": [1.0, 2.0, 3.0], \"layer\": \"layer4\"}");
        var outOfRange = directory.File("range.json");
        File.WriteAllText(outOfRange, "{\"rankings\": {\"tree-iou\": {\"top20_units\": [7], \"top20_scores\": [-0.5]}}, \"levels_q99\": [1.0, 2.0], \"layer\": \"layer4\"}");

        Assert.Contains("neither", Assert.Throws<InvalidDataException>(() => ConceptCatalog.Load(other)).Message, StringComparison.Ordinal);
        Assert.Contains("top20_scores", Assert.Throws<InvalidDataException>(() => ConceptCatalog.Load(broken)).Message, StringComparison.Ordinal);
        Assert.Contains("unit 7", Assert.Throws<InvalidDataException>(() => ConceptCatalog.Load(outOfRange)).Message, StringComparison.Ordinal);
        Assert.Throws<FileNotFoundException>(() => ConceptCatalog.Load(directory.File("missing.json")));
        Assert.Throws<InvalidDataException>(() => ConceptCatalog.Parse("not json"));
    }
}
