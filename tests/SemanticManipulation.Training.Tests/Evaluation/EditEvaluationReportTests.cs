using SemanticManipulation.Adaptation;
using SemanticManipulation.Training.Evaluation;

namespace SemanticManipulation.Training.Tests.Evaluation;

public sealed class EditEvaluationReportTests
{
    private static EditEvaluationRow Add(EditMaskShape shape, bool succeeded, double psnr = 35) => new()
    {
        Image = 0,
        Seed = 1,
        Operation = "add",
        Concept = "tree",
        MaskShape = shape,
        MaskFraction = 0.1,
        TruthShareInMask = 0,
        ShareBefore = 0,
        ShareAfter = succeeded ? 0.6 : 0.1,
        Succeeded = succeeded,
        UneditedPsnrDb = psnr,
        AdaptationSeconds = 1,
    };

    private static EditEvaluationRow Remove(double before, double after, double psnr = 35) => new()
    {
        Image = 0,
        Seed = 1,
        Operation = "remove",
        Concept = "dome",
        MaskShape = EditMaskShape.ObjectRegion,
        MaskFraction = 0.1,
        TruthShareInMask = 0.8,
        ShareBefore = before,
        ShareAfter = after,
        Succeeded = after < before,
        UneditedPsnrDb = psnr,
        AdaptationSeconds = 1,
    };

    private static IEnumerable<EditEvaluationRow> Adds(EditMaskShape shape, int succeeded, int failed) =>
        Enumerable.Repeat(Add(shape, succeeded: true), succeeded).Concat(Enumerable.Repeat(Add(shape, succeeded: false), failed));

    [Fact]
    public void Every_mask_shape_must_reach_the_add_bar_on_its_own()
    {
        // Squares 18/20 (90 %) would carry trees 16/20 (80 %) over 85 % if the shapes were pooled (85 %).
        var rows = Adds(EditMaskShape.Square, 18, 2).Concat(Adds(EditMaskShape.Tree, 16, 4)).Append(Remove(0.6, 0.1)).ToList();

        var report = EditEvaluationReport.Summarize(rows, images: 20, resolution: 64, new EditEvaluationOptions(), seconds: 5);

        Assert.Equal(40, report.AddEdits);
        Assert.Equal(0.85, report.AddSuccessRate, 12);
        Assert.Equal([(EditMaskShape.Square, 20, 0.9), (EditMaskShape.Tree, 20, 0.8)],
            report.AddSuccessByShape.Select(s => (s.Shape, s.Edits, Math.Round(s.SuccessRate, 12))));
        Assert.False(report.AddPassed);
        Assert.True(report.RemovePassed && report.PsnrPassed);
        Assert.False(report.Passed);
    }

    [Fact]
    public void The_report_says_how_each_edit_was_fitted()
    {
        var options = new EditEvaluationOptions();
        options.Edit.Adaptation.Kind = PerturbationKinds.Free;
        options.Edit.Adaptation.Steps = 300;
        options.Edit.Adaptation.TargetKeptPsnrDb = 30.6;

        var report = EditEvaluationReport.Summarize([Add(EditMaskShape.Square, succeeded: true)], images: 1, resolution: 64, options, seconds: 1);

        Assert.Equal("free, 300 steps at lr 0.01, schedule: the perturbation's own, stopping at 30.6 dB kept PSNR", report.Adaptation);
    }

    [Fact]
    public void Removal_must_lower_the_share_on_every_image_and_halve_it_on_most()
    {
        var options = new EditEvaluationOptions();
        var adds = Adds(EditMaskShape.Square, 20, 0).ToList();
        // 4 of 5 halved (80 %), all lowered: passes.
        var halvedMost = adds.Concat([Remove(0.6, 0.1), Remove(0.6, 0.3), Remove(0.5, 0.2), Remove(0.4, 0.1), Remove(0.6, 0.5)]).ToList();
        // All halved but one not lowered at all: fails.
        var oneUnmoved = adds.Concat([Remove(0.6, 0.1), Remove(0.6, 0.3), Remove(0.5, 0.2), Remove(0.4, 0.1), Remove(0.6, 0.6)]).ToList();
        // All lowered, 3 of 5 halved: fails.
        var halvedFew = adds.Concat([Remove(0.6, 0.1), Remove(0.6, 0.3), Remove(0.5, 0.2), Remove(0.4, 0.3), Remove(0.6, 0.5)]).ToList();

        var passing = EditEvaluationReport.Summarize(halvedMost, 20, 64, options, 1);
        var unmoved = EditEvaluationReport.Summarize(oneUnmoved, 20, 64, options, 1);
        var few = EditEvaluationReport.Summarize(halvedFew, 20, 64, options, 1);

        Assert.Equal((1.0, 0.8), (passing.RemoveSuccessRate, passing.RemoveHalvedRate));
        Assert.True(passing.RemovePassed && passing.Passed);
        Assert.Equal(0.8, unmoved.RemoveSuccessRate);
        Assert.False(unmoved.RemovePassed);
        Assert.Equal(0.6, few.RemoveHalvedRate!.Value, 12);
        Assert.False(few.RemovePassed);
    }

    [Fact]
    public void Every_edit_must_keep_the_unedited_pixels_not_just_their_mean()
    {
        var rows = Adds(EditMaskShape.Square, 19, 0).Append(Add(EditMaskShape.Square, succeeded: true, psnr: 29)).Append(Remove(0.6, 0.1, psnr: 50)).ToList();

        var report = EditEvaluationReport.Summarize(rows, images: 20, resolution: 64, new EditEvaluationOptions(), seconds: 1);

        Assert.True(report.MeanUneditedPsnrDb > 30);
        Assert.Equal(29, report.MinUneditedPsnrDb);
        Assert.False(report.PsnrPassed);
        Assert.True(report.AddPassed && report.RemovePassed);
        Assert.False(report.Passed);
    }

    [Fact]
    public void Without_remove_edits_the_remove_criterion_fails_rather_than_passing_vacuously()
    {
        var report = EditEvaluationReport.Summarize([Add(EditMaskShape.Square, succeeded: true)], images: 1, resolution: 64, new EditEvaluationOptions(), seconds: 1);

        Assert.Null(report.RemoveSuccessRate);
        Assert.Null(report.RemoveHalvedRate);
        Assert.False(report.RemovePassed);
        Assert.True(report.AddPassed && report.PsnrPassed);
        Assert.False(report.Passed);
    }
}
