using System.Globalization;
using SemanticManipulation.Adaptation;
using SemanticManipulation.Editing;

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

    /// <summary>Every edit, in order (an image's adds, one per mask shape, then its remove when it had something to remove).</summary>
    public required IReadOnlyList<EditEvaluationRow> Edits { get; init; }

    /// <summary>Add edits made (one per image and mask shape).</summary>
    public required int AddEdits { get; init; }

    /// <summary>Fraction of all add edits whose share in the mask reached <see cref="AddShareThreshold"/>.</summary>
    public required double AddSuccessRate { get; init; }

    /// <summary>The same fraction per mask shape, in the order the shapes were painted.</summary>
    public required IReadOnlyList<ShapeSuccess> AddSuccessByShape { get; init; }

    /// <summary>Remove edits made (images with a removable concept).</summary>
    public required int RemoveEdits { get; init; }

    /// <summary>Fraction of remove edits that lowered the share in the mask; null when there was none.</summary>
    public double? RemoveSuccessRate { get; init; }

    /// <summary>Fraction of remove edits that at least halved the share in the mask; null when there was none.</summary>
    public double? RemoveHalvedRate { get; init; }

    /// <summary>Mean over edits of <see cref="EditEvaluationRow.UneditedPsnrDb"/>.</summary>
    public required double MeanUneditedPsnrDb { get; init; }

    /// <summary>The lowest <see cref="EditEvaluationRow.UneditedPsnrDb"/>.</summary>
    public required double MinUneditedPsnrDb { get; init; }

    /// <summary>The add share threshold applied.</summary>
    public required double AddShareThreshold { get; init; }

    /// <summary>The pass rate required of the add edits of each mask shape.</summary>
    public required double RequiredPassRate { get; init; }

    /// <summary>The fraction of remove edits required to lower the share.</summary>
    public required double RequiredRemoveLoweringRate { get; init; }

    /// <summary>The fraction of remove edits required to halve the share.</summary>
    public required double RequiredRemoveHalvingRate { get; init; }

    /// <summary>The PSNR every edit must keep on the unedited pixels.</summary>
    public required double MinimumPsnrDb { get; init; }

    /// <summary>Whether the add edits of every mask shape reach <see cref="RequiredPassRate"/>.</summary>
    public required bool AddPassed { get; init; }

    /// <summary>Whether there were remove edits, enough of them lowered the share and enough halved it.</summary>
    public required bool RemovePassed { get; init; }

    /// <summary>Whether every edit kept <see cref="MinimumPsnrDb"/> on the unedited pixels.</summary>
    public required bool PsnrPassed { get; init; }

    /// <summary>Whether all three criteria pass.</summary>
    public required bool Passed { get; init; }

    /// <summary>How each edit's G' was fitted: the perturbation kind, steps, learning rate, schedule and any early stop.</summary>
    public required string Adaptation { get; init; }

    /// <summary>Wall time of the evaluation, in seconds.</summary>
    public required double Seconds { get; init; }

    /// <summary>Aggregates <paramref name="edits"/> into a report with <paramref name="options"/>' criteria.</summary>
    internal static EditEvaluationReport Summarize(IReadOnlyList<EditEvaluationRow> edits, int images, int resolution,
        EditEvaluationOptions options, double seconds)
    {
        var adds = edits.Where(e => e.Operation == AddConceptOperator.OperatorName).ToArray();
        var removes = edits.Where(e => e.Operation == RemoveConceptOperator.OperatorName).ToArray();
        var byShape = adds.GroupBy(e => e.MaskShape)
            .Select(g => new ShapeSuccess(g.Key, g.Count(), g.Count(e => e.Succeeded) / (double)g.Count()))
            .ToArray();
        double? removeRate = removes.Length == 0 ? null : removes.Count(e => e.Succeeded) / (double)removes.Length;
        double? halvedRate = removes.Length == 0 ? null : removes.Count(e => e.Halved) / (double)removes.Length;
        var minPsnr = edits.Count == 0 ? double.NaN : edits.Min(e => e.UneditedPsnrDb);
        var addPassed = byShape.Length > 0 && byShape.All(s => s.SuccessRate >= options.RequiredPassRate);
        var removePassed = removeRate >= options.RequiredRemoveLoweringRate && halvedRate >= options.RequiredRemoveHalvingRate;
        var psnrPassed = minPsnr >= options.MinimumPsnrDb;
        return new EditEvaluationReport
        {
            Images = images,
            Resolution = resolution,
            Edits = edits,
            AddEdits = adds.Length,
            AddSuccessRate = adds.Length == 0 ? 0 : adds.Count(e => e.Succeeded) / (double)adds.Length,
            AddSuccessByShape = byShape,
            RemoveEdits = removes.Length,
            RemoveSuccessRate = removeRate,
            RemoveHalvedRate = halvedRate,
            MeanUneditedPsnrDb = edits.Count == 0 ? double.NaN : edits.Average(e => e.UneditedPsnrDb),
            MinUneditedPsnrDb = minPsnr,
            AddShareThreshold = options.AddShareThreshold,
            RequiredPassRate = options.RequiredPassRate,
            RequiredRemoveLoweringRate = options.RequiredRemoveLoweringRate,
            RequiredRemoveHalvingRate = options.RequiredRemoveHalvingRate,
            MinimumPsnrDb = options.MinimumPsnrDb,
            AddPassed = addPassed,
            RemovePassed = removePassed,
            PsnrPassed = psnrPassed,
            Passed = addPassed && removePassed && psnrPassed,
            Adaptation = AdaptationDescription.Of(options.Edit.Adaptation),
            Seconds = seconds,
        };

    }
}
