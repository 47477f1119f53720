namespace SemanticManipulation.Training.Evaluation;

/// <summary>One edit of the edit evaluation: what was painted where, and what the segmenter and PSNR say about the result.</summary>
public sealed record EditEvaluationRow
{
    /// <summary>The image's position in the evaluation (0-based).</summary>
    public required int Image { get; init; }

    /// <summary>The world seed of the image (a held-out seed).</summary>
    public required long Seed { get; init; }

    /// <summary>The edit operator: <c>add</c> or <c>remove</c>.</summary>
    public required string Operation { get; init; }

    /// <summary>The concept added or removed.</summary>
    public required string Concept { get; init; }

    /// <summary>The mask's shape: a square or a tree's silhouette for an add, the object's grown region for a remove.</summary>
    public required EditMaskShape MaskShape { get; init; }

    /// <summary>Fraction of the image inside the mask.</summary>
    public required double MaskFraction { get; init; }

    /// <summary>The concept's ground-truth share inside the mask.</summary>
    public required double TruthShareInMask { get; init; }

    /// <summary>The segmenter's share of the concept inside the mask on the input photo.</summary>
    public required double ShareBefore { get; init; }

    /// <summary>The segmenter's share of the concept inside the mask on the rendered edit.</summary>
    public required double ShareAfter { get; init; }

    /// <summary>Whether the edit did what it should: add reached the share threshold; remove lowered the share.</summary>
    public required bool Succeeded { get; init; }

    /// <summary>Whether a remove edit at least halved the share in the mask (false for adds).</summary>
    public bool Halved => Operation == Editing.RemoveConceptOperator.OperatorName && ShareAfter <= ShareBefore / 2;

    /// <summary>PSNR of the rendered edit against the photo on the unedited pixels (the pipeline's keep mask: the edit
    /// grown and softened as adaptation ignores it), in dB.</summary>
    public required double UneditedPsnrDb { get; init; }

    /// <summary>PSNR on every pixel outside the mask, including the rim the edit legitimately changes, in dB; null when
    /// the mask covers the whole image.</summary>
    public double? OutsideMaskPsnrDb { get; init; }

    /// <summary>PSNR of the inversion G(r*) against the photo, in dB (how well the generator could reproduce it).</summary>
    public double? InversionPsnrDb { get; init; }

    /// <summary>Seconds spent fitting G' for this edit.</summary>
    public required double AdaptationSeconds { get; init; }
}
