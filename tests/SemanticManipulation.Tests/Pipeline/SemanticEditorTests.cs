using SemanticManipulation.Diagnostics;
using SemanticManipulation.Adaptation;
using SemanticManipulation.Editing;
using SemanticManipulation.Imaging;
using SemanticManipulation.Inversion;
using SemanticManipulation.Pipeline;
using SemanticManipulation.Tests.Editing;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace SemanticManipulation.Tests.Pipeline;

/// <summary>The whole method on the planted generator: invert, edit, adapt, render, preview.</summary>
public sealed class SemanticEditorTests : IClassFixture<PlantedModel>
{
    private readonly PlantedModel _model;

    public SemanticEditorTests(PlantedModel model) => _model = model;

    private static SemanticEditOptions FastOptions => new()
    {
        Inversion = new InversionOptions { Steps = 60 },
        Adaptation = new AdaptationOptions { Steps = 60 },
        PreviewAdaptation = new AdaptationOptions { Steps = 30, Kind = PerturbationKinds.Free },
    };

    private SemanticEditor Editor => _model.Editor();

    [Fact]
    public void Adding_a_concept_paints_it_inside_the_mask_and_keeps_the_photo_outside()
    {
        using var scope = NewDisposeScope();
        var representation = _model.Representation(seed: 11);
        var photo = _model.Render(representation).clamp(-1, 1);   // a photo lies in [-1, 1]
        var mask = EditMask.Rectangle(32, 6, 6, 14, 14);
        using var edit = Editor.Open(photo, representation, FastOptions);

        edit.Apply(new AddConcept(ColorThresholdSegmenter.Red, mask));
        using var result = edit.Render();

        var redBefore = RedShareInside(photo, mask);
        var redAfter = RedShareInside(result.Image, mask);
        Assert.True(redAfter > 0.8 && redAfter > redBefore + 0.3, $"red in mask: {redBefore:P0} -> {redAfter:P0}");
        Assert.True(result.Metrics.UneditedPsnrDb > 30, $"unedited PSNR {result.Metrics.UneditedPsnrDb:F1} dB");
        Assert.Equal(result.Adapted.Metrics.PsnrAfterDb, result.Metrics.UneditedPsnrDb);
        Assert.Equal(14 * 14 / 1024.0, result.Metrics.MaskFraction, 6);
        var share = Assert.Single(result.Metrics.ConceptShares);
        Assert.Equal(ColorThresholdSegmenter.Red, share.Concept);
        Assert.Equal(redBefore, share.Before, 6);
        Assert.Equal(redAfter, share.After, 6);
    }

    [Fact]
    public void Opening_a_photo_inverts_it_and_undo_returns_to_r()
    {
        using var scope = NewDisposeScope();
        var photo = _model.Render(_model.Representation(seed: 12)).clamp(-1, 1);   // a photo lies in [-1, 1]
        var progress = new List<SemanticEditProgress>();

        using var edit = Editor.Open(photo, FastOptions, new SynchronousProgress<SemanticEditProgress>(progress.Add));
        edit.Apply(new RemoveConcept(ColorThresholdSegmenter.Blue, EditMask.Rectangle(32, 0, 0, 16, 16)));

        Assert.NotNull(edit.Inversion);
        Assert.True(edit.Inversion!.PsnrDb > edit.Inversion.InitialPsnrDb);
        Assert.NotEmpty(progress);
        Assert.All(progress, p => Assert.Equal(SemanticEditStage.Inverting, p.Stage));
        Assert.False(edit.EditedRepresentation().eq(edit.Representation).all().item<bool>());
        Assert.True(edit.Session.Undo());
        Assert.True(edit.EditedRepresentation().eq(edit.Representation).all().item<bool>());
    }

    [Fact]
    public void The_preview_shows_the_edit_without_refitting_per_stroke()
    {
        using var scope = NewDisposeScope();
        var representation = _model.Representation(seed: 13);
        var photo = _model.Render(representation).clamp(-1, 1);   // a photo lies in [-1, 1]
        var mask = EditMask.Rectangle(32, 16, 16, 12, 12);
        using var edit = Editor.Open(photo, representation, FastOptions);
        var fits = new List<SemanticEditProgress>();
        var progress = new SynchronousProgress<SemanticEditProgress>(fits.Add);

        var unedited = edit.RenderPreview(progress);
        edit.Apply(new AddConcept(ColorThresholdSegmenter.Red, mask));
        var fitReports = fits.Count;
        var edited = edit.RenderPreview(progress);

        Assert.True(fitReports > 0);
        Assert.Equal(fitReports, fits.Count);   // the second preview fitted nothing
        Assert.True(RedShareInside(edited, mask) > RedShareInside(unedited, mask) + 0.3);
    }

    [Fact]
    public void An_edit_without_a_registered_operator_is_refused_naming_the_edits_that_have_one()
    {
        using var scope = NewDisposeScope();
        var representation = _model.Representation(seed: 14);
        using var edit = Editor.Open(_model.Render(representation).clamp(-1, 1), representation, FastOptions);

        var error = Assert.Throws<ArgumentException>(() => edit.Apply(new ExaggerateConcept("red", EditMask.Rectangle(32, 0, 0, 4, 4))));
        var unknownName = Assert.Throws<ArgumentException>(() => NamedEdits.Create("paint", EditMask.Rectangle(32, 0, 0, 4, 4)));

        Assert.Contains("ExaggerateConcept", error.Message, StringComparison.Ordinal);
        Assert.Contains("AddConcept, RemoveConcept, Restyle", error.Message, StringComparison.Ordinal);
        Assert.Contains("AddEditOperator", error.Message, StringComparison.Ordinal);
        Assert.Contains("Known edits: add, remove, restyle.", unknownName.Message, StringComparison.Ordinal);
        Assert.Equal(0, edit.Session.Count);
    }

    private double RedShareInside(Tensor image, Tensor mask)
    {
        using var scope = NewDisposeScope();
        var red = _model.Segmenter.Segment(image)[TensorIndex.Colon, 0].unsqueeze(1);
        return (red * mask).sum().item<float>() / mask.sum().item<float>();
    }
}
