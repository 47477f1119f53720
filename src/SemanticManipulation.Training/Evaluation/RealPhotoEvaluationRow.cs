namespace SemanticManipulation.Training.Evaluation;

/// <summary>One real photo of the evaluation: how well it inverted, and its add and remove edits.</summary>
public sealed record RealPhotoEvaluationRow
{
    /// <summary>The photo's file name.</summary>
    public required string Photo { get; init; }

    /// <summary>The segmenter's share of the concept on the whole model-size photo.</summary>
    public required double ConceptShare { get; init; }

    /// <summary>PSNR of the inversion G_F(r*) against the photo, in dB (what the generator alone reproduces).</summary>
    public required double InversionPsnrDb { get; init; }

    /// <summary>Seconds the inversion took, the encoder's guess included.</summary>
    public required double InversionSeconds { get; init; }

    /// <summary>The concept added in a square on the ground.</summary>
    public required RealPhotoEditMeasurement Add { get; init; }

    /// <summary>The concept removed where the segmenter finds it; null when it finds too little of it.</summary>
    public RealPhotoEditMeasurement? Remove { get; init; }

    /// <summary>The lower kept-pixel PSNR of the photo's edits: what the photo is held to.</summary>
    public double KeptPsnrDb => Remove is null ? Add.KeptPsnrDb : Math.Min(Add.KeptPsnrDb, Remove.KeptPsnrDb);
}
