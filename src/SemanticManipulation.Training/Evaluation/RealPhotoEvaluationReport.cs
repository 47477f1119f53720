using System.Globalization;
using System.Text;

namespace SemanticManipulation.Training.Evaluation;

/// <summary>What <see cref="RealPhotoEvaluator"/> measured: per photo, the inversion and the add and remove edits.</summary>
public sealed record RealPhotoEvaluationReport
{
    /// <summary>Side of the model's images, in pixels.</summary>
    public required int Resolution { get; init; }

    /// <summary>The concept added and removed.</summary>
    public required string Concept { get; init; }

    /// <summary>The kept-pixel PSNR every photo must reach, in dB.</summary>
    public required double MinimumPsnrDb { get; init; }

    /// <summary>The photos, in the order given.</summary>
    public required IReadOnlyList<RealPhotoEvaluationRow> Photos { get; init; }

    /// <summary>How each edit's G' was fitted: the perturbation kind, steps, learning rate, schedule and any early stop.</summary>
    public required string Adaptation { get; init; }

    /// <summary>Wall time of the whole evaluation.</summary>
    public required double Seconds { get; init; }

    /// <summary>The photos whose kept-pixel PSNR is below <see cref="MinimumPsnrDb"/>.</summary>
    public IReadOnlyList<RealPhotoEvaluationRow> BelowPsnrBar => Photos.Where(p => !(p.KeptPsnrDb >= MinimumPsnrDb)).ToArray();

    /// <summary>The numbers as a Markdown table, one row per photo (percentages and decibels to one decimal).</summary>
    public string ToMarkdownTable()
    {
        var c = CultureInfo.InvariantCulture;
        var table = new StringBuilder();
        table.AppendLine(c, $"| photo | {Concept} in photo | inversion PSNR | add: {Concept} in mask before → after | add: kept PSNR | remove: mask | remove: {Concept} in mask before → after | remove: kept PSNR | inversion + adaptations |");
        table.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var row in Photos)
        {
            var remove = row.Remove is { } r
                ? string.Create(c, $"{r.MaskFraction:P0} of the photo | {r.ShareBefore:P1} → {r.ShareAfter:P1} | {r.KeptPsnrDb:F1} dB")
                : "— | too little to remove | —";
            var seconds = string.Create(c, $"{row.InversionSeconds:F1} + {row.Add.AdaptationSeconds:F1}") +
                (row.Remove is { } s ? string.Create(c, $" + {s.AdaptationSeconds:F1}") : string.Empty) + " s";
            table.AppendLine(c, $"| {row.Photo} | {row.ConceptShare:P1} | {row.InversionPsnrDb:F1} dB | {row.Add.ShareBefore:P1} → {row.Add.ShareAfter:P1} | {row.Add.KeptPsnrDb:F1} dB | {remove} | {seconds} |");
        }

        return table.ToString();
    }
}
