using SemanticManipulation.Editing;
using SemanticManipulation.Imaging;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace SemanticManipulation.Tests.Editing;

/// <summary>Bad requests fail before any work, with a message that says what to do.</summary>
public sealed class EditOperatorInputTests(PlantedModel model) : IClassFixture<PlantedModel>
{
    private readonly AddConceptOperator _add = new();
    private readonly RestyleOperator _restyle = new();

    [Fact]
    public void An_unknown_or_missing_concept_lists_the_known_ones()
    {
        using var scope = NewDisposeScope();
        var mask = EditMask.Rectangle(32, 0, 0, 8, 8);

        var unknown = Assert.Throws<UnknownConceptException>(() => Add(new EditRequest { Mask = mask, Concept = "tree" }));
        var missing = Assert.Throws<UnknownConceptException>(() => Add(new EditRequest { Mask = mask }));

        Assert.Equal("Unknown concept 'tree'. Known concepts: red, blue.", unknown.Message);
        Assert.StartsWith("No concept was given. Known concepts: red, blue.", missing.Message, StringComparison.Ordinal);
        string[] known = ["red", "blue"];
        Assert.Equal(known, unknown.KnownConcepts);
    }

    [Fact]
    public void An_empty_mask_is_refused()
    {
        using var scope = NewDisposeScope();
        var error = Assert.Throws<ArgumentException>(() => Add(new EditRequest { Mask = zeros(1, 1, 32, 32), Concept = "red" }));
        Assert.Contains("empty", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_square_mask_of_another_size_is_resized_with_a_note_and_another_shape_is_refused()
    {
        using var scope = NewDisposeScope();
        var large = Add(new EditRequest { Mask = EditMask.Rectangle(64, 16, 16, 32, 32), Concept = "red", UnitCount = 1 });
        var native = Add(new EditRequest { Mask = EditMask.Rectangle(32, 8, 8, 16, 16), Concept = "red", UnitCount = 1 });

        Assert.Equal(32, large.Mask.Size);
        Assert.Contains("The mask was 64×64 pixels; it was resized to the model's 32×32.", large.Notes);
        Assert.Empty(native.Notes);
        Assert.True(large.Mask.Values.Span.SequenceEqual(native.Mask.Values.Span));

        var wide = Assert.Throws<ArgumentException>(() => Add(new EditRequest { Mask = ones(1, 1, 32, 48), Concept = "red" }));
        Assert.Contains("48×32 pixels, not square", wide.Message, StringComparison.Ordinal);
        Assert.Contains("EditMask.Load", wide.Message, StringComparison.Ordinal);
        var values = Assert.Throws<ArgumentException>(() => Add(new EditRequest { Mask = full([1, 1, 32, 32], 2f), Concept = "red" }));
        Assert.Contains("[0, 1]", values.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1.5f)]
    [InlineData(-0.1f)]
    [InlineData(float.NaN)]
    public void A_strength_outside_zero_to_one_is_refused(float strength)
    {
        using var scope = NewDisposeScope();
        var mask = EditMask.Rectangle(32, 0, 0, 8, 8);
        var reference = ReferenceImage.FromRepresentation(model.Representation(seed: 1));

        var add = Assert.Throws<ArgumentOutOfRangeException>(() => Add(new EditRequest { Mask = mask, Concept = "red", Strength = strength }));
        var restyle = Assert.Throws<ArgumentOutOfRangeException>(() =>
            _restyle.CreateStroke(new EditRequest { Mask = mask, Strength = strength, Reference = reference }, model.Context()));

        Assert.Contains("[0, 1]", add.Message, StringComparison.Ordinal);
        Assert.Contains("[0, 1]", restyle.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_reference_image_is_named()
    {
        using var scope = NewDisposeScope();
        var mask = EditMask.Rectangle(32, 0, 0, 8, 8);
        var path = Path.Combine(Path.GetTempPath(), "no-such-reference-" + Guid.NewGuid().ToString("N") + ".png");

        var missingFile = Assert.Throws<FileNotFoundException>(() =>
            _restyle.CreateStroke(new EditRequest { Mask = mask, Reference = ReferenceImage.FromFile(path) }, model.Context(i => i)));
        var noReference = Assert.Throws<ArgumentException>(() => _restyle.CreateStroke(new EditRequest { Mask = mask }, model.Context()));
        var noEncoder = Assert.Throws<InvalidOperationException>(() => _restyle.CreateStroke(
            new EditRequest { Mask = mask, Reference = ReferenceImage.FromImage(zeros(1, 3, 32, 32)) }, model.Context()));
        var wrongShape = Assert.Throws<ArgumentException>(() => _restyle.CreateStroke(
            new EditRequest { Mask = mask, Reference = ReferenceImage.FromRepresentation(zeros(1, 4, 8, 8)) }, model.Context()));

        Assert.Contains(path, missingFile.Message, StringComparison.Ordinal);
        Assert.Equal(path, missingFile.FileName);
        Assert.Contains("needs a reference image", noReference.Message, StringComparison.Ordinal);
        Assert.Contains("ReferenceEncoder", noEncoder.Message, StringComparison.Ordinal);
        Assert.Contains("[1, 8, 8, 8]", wrongShape.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_or_mismatched_catalog_and_too_few_units_are_explained()
    {
        using var scope = NewDisposeScope();
        var mask = EditMask.Rectangle(32, 0, 0, 8, 8);
        var request = new EditRequest { Mask = mask, Concept = "red" };

        var noCatalog = Assert.Throws<InvalidOperationException>(() => _add.CreateStroke(request, new EditContext(model.Generator)));
        var church = ConceptCatalog.ImportAuthors(EditingFixtures.ChurchCatalog);
        var mismatch = Assert.Throws<ArgumentException>(() => _add.CreateStroke(request, new EditContext(model.Generator, church)));
        Assert.Throws<ArgumentOutOfRangeException>(() => Add(new EditRequest { Mask = mask, Concept = "red", UnitCount = 0 }));
        var high = Add(request);

        Assert.Contains("needs a concept catalog", noCatalog.Message, StringComparison.Ordinal);
        Assert.Contains("512 units of layer4", mismatch.Message, StringComparison.Ordinal);
        Assert.Contains("8 units", mismatch.Message, StringComparison.Ordinal);
        Assert.True(high.Units.Count < 15);
        Assert.Contains(high.Notes, n => n.Contains("(of 15 asked for)", StringComparison.Ordinal));
    }

    private EditStroke Add(EditRequest request) => _add.CreateStroke(request, model.Context());
}
