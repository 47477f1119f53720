using SemanticManipulation.Training.Evaluation;

namespace SemanticManipulation.Training.Tests.Evaluation;

public sealed class EditEvaluationReportTests
{
    private static EditEvaluationRow Row(string operation, bool succeeded, double psnr) => new()
    {
        Image = 0,
        Seed = 1,
        Operation = operation,
        Concept = "tree",
        MaskFraction = 0.1,
        TruthShareInMask = 0,
        ShareBefore = 0,
        ShareAfter = succeeded ? 0.6 : 0.1,
        Succeeded = succeeded,
        UneditedPsnrDb = psnr,
        AdaptationSeconds = 1,
    };

    [Fact]
    public void Pass_rates_and_verdicts_follow_the_rows()
    {
        var rows = new List<EditEvaluationRow>();
        rows.AddRange(Enumerable.Range(0, 8).Select(_ => Row("add", succeeded: true, psnr: 31)));
        rows.AddRange(Enumerable.Range(0, 2).Select(_ => Row("add", succeeded: false, psnr: 29)));
        rows.Add(Row("remove", succeeded: true, psnr: 32));
        rows.Add(Row("remove", succeeded: false, psnr: 30));

        var report = EditEvaluationReport.Summarize(rows, images: 10, resolution: 64, new EditEvaluationOptions(), seconds: 5);

        Assert.Equal(10, report.AddEdits);
        Assert.Equal(0.8, report.AddSuccessRate, 12);
        Assert.True(report.AddPassed);                       // exactly the required 80 %
        Assert.Equal(2, report.RemoveEdits);
        Assert.Equal(0.5, report.RemoveSuccessRate);
        Assert.False(report.RemovePassed);
        Assert.Equal(((8 * 31) + (2 * 29) + 32 + 30) / 12.0, report.MeanUneditedPsnrDb, 9);
        Assert.Equal(29, report.MinUneditedPsnrDb);
        Assert.True(report.PsnrPassed);
        Assert.False(report.Passed);
    }

    [Fact]
    public void Without_remove_edits_the_remove_criterion_fails_rather_than_passing_vacuously()
    {
        var report = EditEvaluationReport.Summarize([Row("add", succeeded: true, psnr: 35)], images: 1, resolution: 64, new EditEvaluationOptions(), seconds: 1);

        Assert.Null(report.RemoveSuccessRate);
        Assert.False(report.RemovePassed);
        Assert.True(report.AddPassed && report.PsnrPassed);
        Assert.False(report.Passed);
    }
}
