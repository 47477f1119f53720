using SemanticManipulation.Editing;
using SemanticManipulation.Imaging;
using SemanticManipulation.Inversion;
using SemanticManipulation.Pipeline;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace SemanticManipulation.Tests.Editing;

/// <summary>The operators on the planted generator, with the catalog its dissection produced.</summary>
public sealed class EditOperatorTests(PlantedModel model) : IClassFixture<PlantedModel>
{
    private const string Red = ColorThresholdSegmenter.Red;
    private readonly EditOperatorRegistry _operators = EditOperatorRegistry.CreateDefault();

    [Fact]
    public void Adding_the_concept_paints_it_inside_the_mask_and_changes_nothing_beyond_the_receptive_field()
    {
        using var scope = NewDisposeScope();
        var mask = EditMask.Rectangle(32, 8, 8, 16, 16);
        var (r, photo, before) = PhotoWhere(mask, redFraction => redFraction < 0.3);
        var session = EditSession.For(model.Generator);

        var stroke = _operators.CreateStroke(new AddConcept(Red, mask) { UnitCount = 1 }, model.Context());
        session.Push(stroke);
        var edited = model.Render(session.Apply(r));

        Assert.Equal(new[] { PlantedGenerator.RedUnit }, stroke.Units);
        Assert.Equal(model.Catalog.Levels[PlantedGenerator.RedUnit], stroke.Values[0]);
        var after = model.Segmenter.Fraction(edited, Red, mask);
        Assert.True(after > 0.9 && after > before + 0.5, $"red in the mask: {before:P0} before, {after:P0} after");
        var change = (edited - photo).abs().amax([1], keepdim: true);
        Assert.True((change * mask).sum().item<float>() / mask.sum().item<float>() > 0.3);
        var far = 1 - KeepMaskDilate(mask, PlantedGenerator.ReceptiveMargin);
        Assert.Equal(0f, (change * far).max().item<float>(), 6);
    }

    [Fact]
    public void Removing_the_concept_takes_it_out_and_reverts_an_add()
    {
        using var scope = NewDisposeScope();
        var context = model.Context();
        var mask = EditMask.Rectangle(32, 8, 8, 16, 16);
        var (r, photo, before) = PhotoWhere(mask, redFraction => redFraction is > 0.05 and < 0.3);
        var session = EditSession.For(model.Generator);
        session.Push(_operators.CreateStroke(new AddConcept(Red, mask) { UnitCount = 1 }, context));
        var added = model.Segmenter.Fraction(model.Render(session.Apply(r)), Red, mask);

        session.Push(_operators.CreateStroke(new RemoveConcept(Red, mask) { UnitCount = 1 }, context));
        var removed = model.Segmenter.Fraction(model.Render(session.Apply(r)), Red, mask);

        Assert.True(added > 0.9, $"{added:P0} red after adding");
        Assert.True(removed <= before && removed < 0.05, $"{removed:P0} red after removing (photo: {before:P0})");
        session.Undo();
        session.Undo();
        Assert.True(model.Render(session.Apply(r)).eq(photo).all().item<bool>());
    }

    [Fact]
    public void Removing_a_concept_the_photo_has_clears_it_from_the_mask_only()
    {
        using var scope = NewDisposeScope();
        var mask = EditMask.Rectangle(32, 8, 8, 16, 16);
        var (r, photo, before) = PhotoWhere(mask, redFraction => redFraction > 0.4);
        var outside = 1 - KeepMaskDilate(mask, PlantedGenerator.ReceptiveMargin);
        var session = EditSession.For(model.Generator);

        session.Push(_operators.CreateStroke(new RemoveConcept(Red, mask, ConceptIntensity.Low), model.Context()));
        var edited = model.Render(session.Apply(r));

        Assert.True(model.Segmenter.Fraction(edited, Red, mask) < 0.05, $"photo had {before:P0} red in the mask");
        Assert.Equal(model.Segmenter.Fraction(photo, Red, outside), model.Segmenter.Fraction(edited, Red, outside));
    }

    [Fact]
    public void A_host_operator_paints_through_the_same_session()
    {
        using var scope = NewDisposeScope();
        var mask = EditMask.Rectangle(32, 16, 0, 16, 16);
        var r = model.Representation(seed: 3);
        var registry = new EditOperatorRegistry([new AddConceptOperator(), new ExaggerateConceptOperator()]);

        var stroke = registry.CreateStroke(new ExaggerateConcept(Red, mask) { UnitCount = 1 }, model.Context());
        var session = EditSession.For(model.Generator);
        session.Push(stroke);

        Assert.Equal(2 * model.Catalog.Levels[PlantedGenerator.RedUnit], stroke.Values[0]);
        Assert.True(model.Segmenter.Fraction(model.Render(session.Apply(r)), Red, mask) > 0.9);
    }

    [Fact]
    public void Restyle_moves_the_masked_cells_toward_the_references_mean_by_the_strength()
    {
        using var scope = NewDisposeScope();
        var r = model.Representation(seed: 1);
        var reference = model.Representation(seed: 2);
        var mask = EditMask.Rectangle(32, 0, 0, 16, 32);
        var cells = nn.functional.adaptive_max_pool2d(mask, [8, 8]).to(ScalarType.Bool).expand_as(r);

        Tensor Restyled(float strength, ReferenceImage image)
        {
            var session = EditSession.For(model.Generator);
            session.Push(_operators.CreateStroke(new Restyle(image, mask, strength), model.Context()));
            return session.Apply(r);
        }

        var mean = reference.mean([0, 2, 3], keepdim: true).expand_as(r);
        var half = Restyled(0.5f, ReferenceImage.FromRepresentation(reference));
        Assert.True(half.masked_select(cells).allclose(((0.5f * r) + (0.5f * mean)).masked_select(cells), rtol: 0, atol: 1e-5));
        Assert.True(half.masked_select(~cells).eq(r.masked_select(~cells)).all().item<bool>());
        Assert.True(Restyled(0f, ReferenceImage.FromRepresentation(reference)).eq(r).all().item<bool>());
        Assert.True(Restyled(1f, ReferenceImage.FromRepresentation(reference)).masked_select(cells)
            .allclose(mean.masked_select(cells), rtol: 0, atol: 1e-5));

        // A region of the reference: the mean over its right half only.
        var region = EditMask.Rectangle(32, 16, 0, 16, 32);
        var rightMean = reference[.., .., .., 4..].mean([0, 2, 3], keepdim: true).expand_as(r);
        Assert.True(Restyled(1f, ReferenceImage.FromRepresentation(reference, region)).masked_select(cells)
            .allclose(rightMean.masked_select(cells), rtol: 0, atol: 1e-5));
    }

    [Fact]
    public void A_restyle_reference_given_as_a_file_or_an_image_is_inverted_by_the_editor_before_the_operator_runs()
    {
        using var scope = NewDisposeScope();
        using var directory = Fixture.TempDirectory();
        var image = model.Render(model.Representation(seed: 2)).clamp(-1, 1);
        var path = directory.File("reference.png");
        ImageTensor.Save(image, path);
        var editor = model.Editor();
        var options = new SemanticEditOptions { ReferenceInversion = new InversionOptions { Steps = 20 } };
        using var edit = editor.Open(model.Render(model.Representation(seed: 1)).clamp(-1, 1), model.Representation(seed: 1), options);
        var mask = EditMask.Rectangle(32, 0, 0, 16, 16);

        var fromFile = edit.Apply(new Restyle(ReferenceImage.FromFile(path), mask, 0.7f));
        using var loaded = ImageTensor.Load(path, 32);
        var fromImage = edit.Apply(new Restyle(ReferenceImage.FromImage(loaded.Tensor), mask, 0.7f));
        using var inverted = editor.Inverter.Invert(model.Generator, loaded.Tensor, options.ReferenceInversion);
        var direct = _operators.CreateStroke(new Restyle(ReferenceImage.FromRepresentation(inverted.Representation), mask, 0.7f), model.Context());

        Assert.Equal(direct.Values, fromFile.Values);
        Assert.Equal(direct.Values, fromImage.Values);
        Assert.Equal(Enumerable.Range(0, PlantedGenerator.Channels), fromFile.Units);
        Assert.Equal(0.7f, fromFile.Strength);
        Assert.Equal(2, edit.Session.Count);
    }

    private (Tensor R, Tensor Photo, double RedFraction) PhotoWhere(Tensor mask, Func<double, bool> accept)
    {
        for (var seed = 0; seed < 200; seed++)
        {
            var r = model.Representation(seed);
            var photo = model.Render(r);
            var red = model.Segmenter.Fraction(photo, Red, mask);
            if (accept(red))
            {
                return (r, photo, red);
            }
        }

        throw new InvalidOperationException("No sample fits the test's requirement.");
    }

    private static Tensor KeepMaskDilate(Tensor mask, int radius) =>
        nn.functional.max_pool2d(mask, kernel_size: (2 * radius) + 1, stride: 1, padding: radius);
}
