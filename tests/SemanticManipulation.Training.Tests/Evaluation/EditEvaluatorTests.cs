using SemanticManipulation.Diagnostics;
using System.Text.Json;
using System.Text.Json.Serialization;
using SemanticManipulation.Adaptation;
using SemanticManipulation.Inversion;
using SemanticManipulation.Pipeline;
using SemanticManipulation.Training.Data;
using SemanticManipulation.Training.Evaluation;
using SemanticManipulation.Training.World;

namespace SemanticManipulation.Training.Tests.Evaluation;

[Collection(TinyBundleGroup.Name)]
public sealed class EditEvaluatorTests(TinyBundle model)
{
    private static readonly JsonSerializerOptions Json = new() { NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals };

    private static EditEvaluationOptions Tiny(int images, string? pictures = null) => new()
    {
        Images = images,
        PictureDirectory = pictures,
        PictureImages = 2,
        Edit = new SemanticEditOptions
        {
            Inversion = new InversionOptions { Steps = 5, MeanSamples = 8 },
            Adaptation = new AdaptationOptions { Steps = 20 },
        },
    };

    [Fact]
    public void Every_image_gets_a_square_and_a_tree_shaped_add_and_removable_ones_a_remove_through_the_real_pipeline()
    {
        var pictures = Path.Combine(model.Directory, "edit-pictures");
        var progress = new List<EditEvaluationProgress>();

        var report = new EditEvaluator().Evaluate(model.Bundle.CreateEditor(), model.World, Tiny(3, pictures),
            new SynchronousProgress<EditEvaluationProgress>(progress.Add));

        // Which images have a dome or tree large enough to remove is a property of the world alone.
        var removable = Enumerable.Range(0, 3).Where(i =>
        {
            var labels = model.World.Render(WorldSeeds.HeldOut(i), TinyBundle.Resolution).Labels.ToArray();
            return new[] { SceneLabel.Dome, SceneLabel.Tree }.Any(l => labels.Count(v => v == (byte)l) >= 0.02 * labels.Length);
        }).ToArray();
        Assert.Equal(6, report.AddEdits);
        Assert.Equal([EditMaskShape.Square, EditMaskShape.Tree], report.AddSuccessByShape.Select(s => s.Shape));
        Assert.All(report.AddSuccessByShape, s => Assert.Equal(3, s.Edits));
        Assert.Equal(removable, report.Edits.Where(e => e.Operation == "remove").Select(e => e.Image));
        Assert.Equal(6 + removable.Length, report.Edits.Count);
        foreach (var edit in report.Edits)
        {
            Assert.Equal(WorldSeeds.HeldOut(edit.Image), edit.Seed);
            Assert.InRange(edit.ShareBefore, 0, 1);
            Assert.InRange(edit.ShareAfter, 0, 1);
            Assert.InRange(edit.MaskFraction, 0.01, 0.9);
            Assert.True(double.IsFinite(edit.UneditedPsnrDb) && edit.UneditedPsnrDb > 5, $"PSNR {edit.UneditedPsnrDb}");
            Assert.NotNull(edit.InversionPsnrDb);
            if (edit.Operation == "add")
            {
                Assert.Equal("tree", edit.Concept);
                if (edit.MaskShape == EditMaskShape.Square)
                {
                    Assert.Equal(9.0 / 64, edit.MaskFraction, 9);   // 3×3 cells of the 8×8 grid
                }
                else
                {
                    // The silhouette lies inside the same square and covers about half of it.
                    Assert.Equal(EditMaskShape.Tree, edit.MaskShape);
                    Assert.InRange(edit.MaskFraction, 0.3 * 9 / 64, 0.75 * 9 / 64);
                }

                Assert.Equal(edit.ShareAfter >= 0.5, edit.Succeeded);
                Assert.False(edit.Halved);
            }
            else
            {
                Assert.True(edit.Concept is "dome" or "tree", edit.Concept);
                Assert.Equal(EditMaskShape.ObjectRegion, edit.MaskShape);
                Assert.Equal(edit.ShareAfter <= edit.ShareBefore / 2, edit.Halved);
                Assert.True(edit.TruthShareInMask > 0.3, $"truth share {edit.TruthShareInMask}");
                Assert.Equal(edit.ShareAfter < edit.ShareBefore, edit.Succeeded);
            }
        }

        Assert.Equal(report.Edits, progress.Where(p => p.Completed is not null).Select(p => p.Completed));
        Assert.Contains(progress, p => p.Step is { Stage: SemanticEditStage.Inverting });
        Assert.Contains(progress, p => p.Step is { Stage: SemanticEditStage.Adapting });
        Assert.True(File.Exists(Path.Combine(pictures, "edits.png")));

        var copy = JsonSerializer.Deserialize<EditEvaluationReport>(JsonSerializer.Serialize(report, Json), Json)!;
        Assert.Equal(report.Edits, copy.Edits);
        Assert.Equal(report.Passed, copy.Passed);
    }

    [Fact]
    public void A_concept_the_catalog_does_not_know_is_refused_up_front()
    {
        var options = Tiny(1);
        options.AddConcept = "castle";

        var error = Assert.Throws<ArgumentException>(() => new EditEvaluator().Evaluate(model.Bundle.CreateEditor(), model.World, options));

        Assert.Contains("castle", error.Message, StringComparison.Ordinal);
    }
}
