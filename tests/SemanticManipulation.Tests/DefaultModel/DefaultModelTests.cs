using SemanticManipulation.Bundles;
using SemanticManipulation.Checkpoints;
using SemanticManipulation.Training.World;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;
using EmbeddedModel = SemanticManipulation.DefaultModel;

namespace SemanticManipulation.Tests.DefaultModel;

/// <summary>
/// The default model as shipped in <c>src/SemanticManipulation.DefaultModel/bundle/</c>. The files are replaced when the
/// model is retrained, so these tests check what any good build of it must satisfy, never exact values.
/// </summary>
public sealed class DefaultModelTests : IClassFixture<DefaultModelFixture>
{
    private readonly ModelBundle _bundle;

    public DefaultModelTests(DefaultModelFixture fixture) => _bundle = fixture.Bundle;

    [Fact]
    public void It_is_copied_beside_the_application_and_has_every_part()
    {
        Assert.True(EmbeddedModel.IsAvailable, $"no {EmbeddedModel.ManifestPath}");
        Assert.Equal(Path.GetFullPath(EmbeddedModel.Directory), _bundle.Directory);
        Assert.NotNull(_bundle.Catalog);
        Assert.NotNull(_bundle.Encoder);
        Assert.NotNull(_bundle.Segmenter);
    }

    [Fact]
    public void Its_generator_is_split_on_an_8x8_grid_and_its_catalog_describes_that_layer()
    {
        var generator = _bundle.Generator;
        var catalog = _bundle.Catalog!;

        Assert.True(generator.Resolution >= 64, $"resolution {generator.Resolution}");
        Assert.Equal(_bundle.Manifest.SplitLayer, generator.SplitLayer);
        Assert.Equal((8, 8), (generator.RepresentationShape.Height, generator.RepresentationShape.Width));
        Assert.Equal(generator.SplitLayer, catalog.Layer);
        Assert.Equal(generator.RepresentationShape.Channels, catalog.UnitCount);
    }

    [Fact]
    public void Its_segmenter_knows_the_worlds_labels_and_the_catalog_paints_only_those_with_tree_among_them()
    {
        var labels = _bundle.Segmenter!.Labels;
        var catalog = _bundle.Catalog!;

        Assert.Equal(SceneLabels.Names.Order(), labels.Order());
        Assert.All(catalog.Concepts, concept => Assert.Contains(concept, labels));
        Assert.Contains("tree", catalog.Concepts);   // the README's edit
        foreach (var concept in catalog.Concepts)
        {
            var scores = catalog.GetRanking(concept).Units.Select(u => u.Score).ToArray();
            Assert.NotEmpty(scores);
            Assert.All(scores, s => Assert.True(double.IsFinite(s), $"{concept}: score {s}"));
            Assert.Equal(scores.OrderDescending(), scores);
        }
    }

    [Fact]
    public void Its_catalog_ranks_every_concepts_units_for_removal_by_ablation_apart_from_those_for_adding()
    {
        var catalog = _bundle.Catalog!;

        foreach (var concept in catalog.Concepts)
        {
            Assert.True(catalog.TryGetRemovalRanking(concept, out var removal), $"{concept} has no removal ranking");
            Assert.Equal("ablation", removal.Metric);
            var high = catalog.Intensities.High;
            Assert.InRange(removal.Units.Count, catalog.Intensities.Low, catalog.UnitCount);
            // Not the add ranking under another name: the sets a high-intensity add and remove change differ.
            Assert.NotEqual(catalog.SelectUnits(concept, high).Order(), catalog.SelectUnitsToRemove(concept, high).Order());
        }
    }

    [Fact]
    public void Its_segmenter_labels_held_out_scenes_mostly_right()
    {
        var segmenter = _bundle.Segmenter!;
        using var scope = NewDisposeScope();
        var (images, truth) = DefaultModelFixture.HeldOutScenes(4, _bundle.Generator.Resolution);

        var predicted = segmenter.Predict(images).reshape(4, -1).data<long>().ToArray();

        var pixels = truth.Sum(t => t.Length);
        var right = truth.SelectMany(t => t).Where((name, i) => segmenter.Labels[(int)predicted[i]] == name).Count();
        Assert.True(right > 0.85 * pixels, $"pixel accuracy {right / (double)pixels:P1}");
    }

    [Fact]
    public void It_generates_varied_scenes_with_sky_above_and_ground_below()
    {
        var generator = _bundle.Generator;
        var segmenter = _bundle.Segmenter!;
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var z = randn(8, generator.LatentSize, generator: new Generator(0, CPU).manual_seed(7));

        var images = generator.Generate(z);

        var size = generator.Resolution;
        Assert.Equal([8L, 3, size, size], images.shape);
        Assert.True(images.isfinite().all().item<bool>());
        Assert.True((images[0] - images[1]).abs().mean().item<float>() > 0.05f, "two latents gave the same image");

        // Sky belongs at the top of these scenes and grass at the bottom; a generator that learned the world agrees.
        var shares = segmenter.Segment(images.clamp(-1, 1));
        var quarter = size / 4;
        float Share(string label, int fromRow) =>
            shares[TensorIndex.Colon, segmenter.Labels.ToList().IndexOf(label), TensorIndex.Slice(fromRow, fromRow + quarter)].mean().item<float>();
        Assert.True(Share("sky", 0) > Share("sky", size - quarter) + 0.2f, $"sky: top {Share("sky", 0):P0}, bottom {Share("sky", size - quarter):P0}");
        Assert.True(Share("grass", size - quarter) > Share("grass", 0) + 0.2f, $"grass: top {Share("grass", 0):P0}, bottom {Share("grass", size - quarter):P0}");
    }

    [Fact]
    public void A_missing_default_model_is_reported_with_the_path_looked_at()
    {
        using var directory = Fixture.TempDirectory();

        var error = Assert.Throws<FileNotFoundException>(() => EmbeddedModel.LoadFrom(directory.Path, null, null));

        Assert.Contains(Path.Combine(directory.Path, ModelBundle.ManifestFileName), error.Message, StringComparison.Ordinal);
        Assert.Contains("default model is missing", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("generator")]
    [InlineData("encoder")]
    [InlineData("segmenter")]
    [InlineData("concepts")]
    public void A_damaged_part_of_the_default_model_is_named(string part)
    {
        using var directory = Fixture.TempDirectory();
        foreach (var file in Directory.GetFiles(EmbeddedModel.Directory))
        {
            File.Copy(file, directory.File(Path.GetFileName(file)));
        }

        var manifest = ModelBundle.ReadManifest(directory.Path);
        var damaged = part switch
        {
            "generator" => manifest.Generator,
            "encoder" => manifest.Encoder!,
            "segmenter" => manifest.Segmenter!,
            _ => manifest.Concepts!,
        };
        var bytes = File.ReadAllBytes(directory.File(damaged));
        File.WriteAllBytes(directory.File(damaged), bytes[..(bytes.Length / 2)]);   // a download cut off half-way

        var error = Assert.Throws<CheckpointFormatException>(() => EmbeddedModel.LoadFrom(directory.Path, null, null));

        Assert.Contains("default model", error.Message, StringComparison.Ordinal);
        Assert.Contains(damaged, error.Message, StringComparison.Ordinal);
    }
}
