using SemanticManipulation.Bundles;
using SemanticManipulation.Checkpoints;
using SemanticManipulation.Segmentation;
using SemanticManipulation.Tests.Editing;
using Xunit;

namespace SemanticManipulation.Tests.Bundles;

public sealed class ModelBundleTests : IClassFixture<PlantedModel>
{
    private readonly PlantedModel _model;

    public ModelBundleTests(PlantedModel model) => _model = model;

    [Fact]
    public void A_bundle_loads_every_part_it_names_in_one_call()
    {
        using var directory = Fixture.TempDirectory();
        _model.Generator.Save(directory.File("generator.safetensors"));
        _model.Catalog.Save(directory.File("concepts.json"));
        using (var segmenter = ConvolutionalSegmenter.Create(["red", "blue", "other"], width: 4, depth: 2))
        {
            segmenter.Save(directory.File("segmenter.safetensors"));
        }

        ModelBundle.WriteManifest(directory.Path, new ModelBundleManifest
        {
            Name = "planted",
            Generator = "generator.safetensors",
            Concepts = "concepts.json",
            Segmenter = "segmenter.safetensors",
            Measurements = new Dictionary<string, double> { ["fid"] = 1.5 },
        });

        using var bundle = ModelBundle.Load(directory.Path);

        Assert.True(ModelBundle.IsBundle(directory.Path));
        Assert.Equal("planted", bundle.Manifest.Name);
        Assert.Equal(_model.Generator.Architecture, bundle.Generator.Architecture);
        Assert.Equal(_model.Catalog.Concepts, bundle.Catalog!.Concepts);
        Assert.Equal(["red", "blue", "other"], bundle.Segmenter!.Labels);
        Assert.Null(bundle.Encoder);
        Assert.Equal(1.5, bundle.Manifest.Measurements!["fid"]);
        Assert.Same(bundle.Generator, bundle.CreateEditor().Generator);
    }

    [Fact]
    public void A_missing_part_is_named()
    {
        using var directory = Fixture.TempDirectory();
        _model.Generator.Save(directory.File("generator.safetensors"));
        ModelBundle.WriteManifest(directory.Path, new ModelBundleManifest { Name = "x", Generator = "generator.safetensors", Encoder = "encoder.safetensors" });

        var error = Assert.Throws<FileNotFoundException>(() => ModelBundle.Load(directory.Path));

        Assert.Contains("encoder 'encoder.safetensors'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_folder_without_a_manifest_or_with_a_broken_one_is_refused()
    {
        using var directory = Fixture.TempDirectory();

        var missing = Assert.Throws<FileNotFoundException>(() => ModelBundle.Load(directory.Path));
        Assert.Contains("bundle.json", missing.Message, StringComparison.Ordinal);

        File.WriteAllText(directory.File("bundle.json"), "{ not json");
        var broken = Assert.Throws<CheckpointFormatException>(() => ModelBundle.Load(directory.Path));
        Assert.Contains("not a valid bundle manifest", broken.Message, StringComparison.Ordinal);

        File.WriteAllText(directory.File("bundle.json"), """{ "format_version": 99, "name": "x", "generator": "g.safetensors" }""");
        var future = Assert.Throws<CheckpointFormatException>(() => ModelBundle.Load(directory.Path));
        Assert.Contains("format version 99", future.Message, StringComparison.Ordinal);
    }
}
