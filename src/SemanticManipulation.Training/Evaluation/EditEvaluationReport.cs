namespace SemanticManipulation.Training.Evaluation;

/// <summary>
/// Whether edits work: on held-out world images, adding a concept in a mask makes the segmenter see it there,
/// removing one makes it see less of it, and after adaptation the unedited pixels stay faithful to the photo.
/// </summary>
public sealed record EditEvaluationReport
{
    /// <summary>Images edited.</summary>
    public required int Images { get; init; }

    /// <summary>Side of the images, in pixels.</summary>
    public required int Resolution { get; init; }

    /// <summary>Every edit, in order (an image's add, then its remove when it had something to remove).</summary>
    public required IReadOnlyList<EditEvaluationRow> Edits { get; init; }

    /// <summary>Add edits made (one per image).</summary>
    public required int AddEdits { get; init; }

    /// <summary>Fraction of add edits whose share in the mask reached <see cref="AddShareThreshold"/>.</summary>
    public required double AddSuccessRate { get; init; }

    /// <summary>Remove edits made (images with a removable concept).</summary>
    public required int RemoveEdits { get; init; }

    /// <summary>Fraction of remove edits that lowered the share in the mask; null when there was none.</summary>
    public double? RemoveSuccessRate { get; init; }

    /// <summary>Mean over edits of <see cref="EditEvaluationRow.UneditedPsnrDb"/>.</summary>
    public required double MeanUneditedPsnrDb { get; init; }

    /// <summary>The lowest <see cref="EditEvaluationRow.UneditedPsnrDb"/>.</summary>
    public required double MinUneditedPsnrDb { get; init; }

    /// <summary>The add share threshold applied.</summary>
    public required double AddShareThreshold { get; init; }

    /// <summary>The pass rate required of add and of remove edits.</summary>
    public required double RequiredPassRate { get; init; }

    /// <summary>The mean PSNR required.</summary>
    public required double MinimumPsnrDb { get; init; }

    /// <summary>Whether <see cref="AddSuccessRate"/> reaches <see cref="RequiredPassRate"/>.</summary>
    public required bool AddPassed { get; init; }

    /// <summary>Whether there were remove edits and <see cref="RemoveSuccessRate"/> reaches <see cref="RequiredPassRate"/>.</summary>
    public required bool RemovePassed { get; init; }

    /// <summary>Whether <see cref="MeanUneditedPsnrDb"/> reaches <see cref="MinimumPsnrDb"/>.</summary>
    public required bool PsnrPassed { get; init; }

    /// <summary>Whether all three criteria pass.</summary>
    public required bool Passed { get; init; }

    /// <summary>Wall time of the evaluation, in seconds.</summary>
    public required double Seconds { get; init; }

    /// <summary>Aggregates <paramref name="edits"/> into a report with <paramref name="options"/>' criteria.</summary>
    internal static EditEvaluationReport Summarize(IReadOnlyList<EditEvaluationRow> edits, int images, int resolution,
        EditEvaluationOptions options, double seconds)
    {
        var adds = edits.Where(e => e.Operation == Editing.AddConceptOperator.OperatorName).ToArray();
        var removes = edits.Where(e => e.Operation == Editing.RemoveConceptOperator.OperatorName).ToArray();
        var addRate = adds.Length == 0 ? 0 : adds.Count(e => e.Succeeded) / (double)adds.Length;
        double? removeRate = removes.Length == 0 ? null : removes.Count(e => e.Succeeded) / (double)removes.Length;
        var meanPsnr = edits.Count == 0 ? double.NaN : edits.Average(e => e.UneditedPsnrDb);
        var addPassed = adds.Length > 0 && addRate >= options.RequiredPassRate;
        var removePassed = removeRate >= options.RequiredPassRate;
        var psnrPassed = meanPsnr >= options.MinimumPsnrDb;
        return new EditEvaluationReport
        {
            Images = images,
            Resolution = resolution,
            Edits = edits,
            AddEdits = adds.Length,
            AddSuccessRate = addRate,
            RemoveEdits = removes.Length,
            RemoveSuccessRate = removeRate,
            MeanUneditedPsnrDb = meanPsnr,
            MinUneditedPsnrDb = edits.Count == 0 ? double.NaN : edits.Min(e => e.UneditedPsnrDb),
            AddShareThreshold = options.AddShareThreshold,
            RequiredPassRate = options.RequiredPassRate,
            MinimumPsnrDb = options.MinimumPsnrDb,
            AddPassed = addPassed,
            RemovePassed = removePassed,
            PsnrPassed = psnrPassed,
            Passed = addPassed && removePassed && psnrPassed,
            Seconds = seconds,
        };
    }
}
