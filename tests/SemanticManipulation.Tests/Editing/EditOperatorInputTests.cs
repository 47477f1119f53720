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

        var unknown = Assert.Throws<UnknownConceptException>(() => Add(new AddConcept("tree", mask)));
        var missing = Assert.Throws<ArgumentException>(() => new AddConcept(" ", mask));
        var unnamed = Assert.Throws<ArgumentException>(() => NamedEdits.Create("add", mask));

        Assert.Equal("Unknown concept 'tree'. Known concepts: red, blue.", unknown.Message);
        Assert.Equal("concept", missing.ParamName);
        Assert.Equal("The 'add' edit needs a concept (e.g. tree). (Parameter 'concept')", unnamed.Message);
        string[] known = ["red", "blue"];
        Assert.Equal(known, unknown.KnownConcepts);
    }

    [Fact]
    public void The_editor_refuses_a_bad_edit_before_any_photo_is_opened()
    {
        using var scope = NewDisposeScope();
        var editor = model.Editor();
        var mask = EditMask.Rectangle(32, 0, 0, 8, 8);

        var unknown = Assert.Throws<UnknownConceptException>(() => editor.Validate(new RemoveConcept("tree", mask)));
        var empty = Assert.Throws<ArgumentException>(() => editor.Validate(new AddConcept("red", zeros(1, 1, 32, 32))));
        var region = Assert.Throws<ArgumentException>(() => editor.Validate(
            new Restyle(ReferenceImage.FromFile("never-read.png", zeros(1, 1, 32, 32)), mask)));
        editor.Validate(new AddConcept("red", mask));
        editor.Validate(new Restyle(ReferenceImage.FromFile("never-read.png"), mask));

        Assert.Equal("Unknown concept 'tree'. Known concepts: red, blue.", unknown.Message);
        Assert.Contains("The mask is empty", empty.Message, StringComparison.Ordinal);
        Assert.StartsWith("The reference region: The mask is empty", region.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_restyle_with_an_empty_mask_is_refused_before_its_reference_is_read()
    {
        using var scope = NewDisposeScope();
        var editor = model.Editor();
        using var edit = editor.Open(model.Render(model.Representation(seed: 1)).clamp(-1, 1), model.Representation(seed: 1));

        // The reference does not exist: reading or inverting it first would fail with FileNotFoundException instead.
        var error = Assert.Throws<ArgumentException>(() => edit.Apply(new Restyle(ReferenceImage.FromFile("no-such-reference.png"), zeros(1, 1, 32, 32))));

        Assert.Contains("The mask is empty", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, edit.Session.Count);
    }

    [Fact]
    public void An_empty_mask_is_refused()
    {
        using var scope = NewDisposeScope();
        var error = Assert.Throws<ArgumentException>(() => Add(new AddConcept("red", zeros(1, 1, 32, 32))));
        Assert.Contains("empty", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_square_mask_of_another_size_is_resized_with_a_note_and_another_shape_is_refused()
    {
        using var scope = NewDisposeScope();
        var large = Add(new AddConcept("red", EditMask.Rectangle(64, 16, 16, 32, 32)) { UnitCount = 1 });
        var native = Add(new AddConcept("red", EditMask.Rectangle(32, 8, 8, 16, 16)) { UnitCount = 1 });

        Assert.Equal(32, large.Mask.Size);
        Assert.Contains("The mask was 64×64 pixels; it was resized to the model's 32×32.", large.Notes);
        Assert.Empty(native.Notes);
        Assert.True(large.Mask.Values.Span.SequenceEqual(native.Mask.Values.Span));

        var wide = Assert.Throws<ArgumentException>(() => Add(new AddConcept("red", ones(1, 1, 32, 48))));
        Assert.Contains("48×32 pixels, not square", wide.Message, StringComparison.Ordinal);
        Assert.Contains("EditMask.Load", wide.Message, StringComparison.Ordinal);
        var values = Assert.Throws<ArgumentException>(() => Add(new AddConcept("red", full([1, 1, 32, 32], 2f))));
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

        var add = Assert.Throws<ArgumentOutOfRangeException>(() => new AddConcept("red", mask, strength: strength));
        var restyle = Assert.Throws<ArgumentOutOfRangeException>(() => new Restyle(reference, mask, strength));

        Assert.Contains("[0, 1]", add.Message, StringComparison.Ordinal);
        Assert.Contains("[0, 1]", restyle.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_or_unusable_reference_is_named_before_any_inversion()
    {
        using var scope = NewDisposeScope();
        var mask = EditMask.Rectangle(32, 0, 0, 8, 8);
        var path = Path.Combine(Path.GetTempPath(), "no-such-reference-" + Guid.NewGuid().ToString("N") + ".png");
        using var edit = model.Editor().Open(model.Render(model.Representation(seed: 1)).clamp(-1, 1), model.Representation(seed: 1));

        var missingFile = Assert.Throws<FileNotFoundException>(() => edit.Apply(new Restyle(ReferenceImage.FromFile(path), mask)));
        var noReference = Assert.Throws<ArgumentException>(() => NamedEdits.Create("restyle", mask));
        var wrongImage = Assert.Throws<ArgumentException>(() => edit.Apply(new Restyle(ReferenceImage.FromImage(zeros(1, 3, 16, 16)), mask)));
        var unresolved = Assert.Throws<InvalidOperationException>(() => _restyle.CreateStroke(
            new Restyle(ReferenceImage.FromImage(zeros(1, 3, 32, 32)), mask), model.Context()));
        var wrongShape = Assert.Throws<ArgumentException>(() => _restyle.CreateStroke(
            new Restyle(ReferenceImage.FromRepresentation(zeros(1, 4, 8, 8)), mask), model.Context()));

        Assert.Contains(path, missingFile.Message, StringComparison.Ordinal);
        Assert.Equal(path, missingFile.FileName);
        Assert.Contains("needs a reference image", noReference.Message, StringComparison.Ordinal);
        Assert.Contains("[1, 3, 32, 32]", wrongImage.Message, StringComparison.Ordinal);
        Assert.Contains("FromRepresentation", unresolved.Message, StringComparison.Ordinal);
        Assert.Contains("[1, 8, 8, 8]", wrongShape.Message, StringComparison.Ordinal);
        Assert.Equal(0, edit.Session.Count);
    }

    [Fact]
    public void A_missing_or_mismatched_catalog_and_too_few_units_are_explained()
    {
        using var scope = NewDisposeScope();
        var mask = EditMask.Rectangle(32, 0, 0, 8, 8);
        var request = new AddConcept("red", mask);

        var noCatalog = Assert.Throws<InvalidOperationException>(() => _add.CreateStroke(request, new EditContext(model.Generator)));
        var church = ConceptCatalog.ImportAuthors(EditingFixtures.ChurchCatalog);
        var mismatch = Assert.Throws<ArgumentException>(() => _add.CreateStroke(request, new EditContext(model.Generator, church)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new AddConcept("red", mask) { UnitCount = 0 });
        var high = Add(request);

        Assert.Contains("needs a concept catalog", noCatalog.Message, StringComparison.Ordinal);
        Assert.Contains("512 units of layer4", mismatch.Message, StringComparison.Ordinal);
        Assert.Contains("8 units", mismatch.Message, StringComparison.Ordinal);
        Assert.True(high.Units.Count < 15);
        Assert.Contains(high.Notes, n => n.Contains("changes " + high.Units.Count + " units, not the 15 asked for: its ranking", StringComparison.Ordinal));
    }

    private EditStroke Add(AddConcept edit) => _add.CreateStroke(edit, model.Context());
}
