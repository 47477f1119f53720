using SemanticManipulation.Pipeline;

namespace SemanticManipulation.Training.Evaluation;

/// <summary>How <see cref="EditEvaluator"/> chooses and judges its edits. The defaults are the bars the default model is held to: 20 held-out
/// images, add succeeds at a 50 % share on 80 % of them, 30 dB on the unedited pixels.</summary>
public sealed class EditEvaluationOptions
{
    /// <summary>Held-out world images to edit. Default 20.</summary>
    public int Images { get; set; } = 20;

    /// <summary>Index (in <see cref="Data.WorldSeeds.HeldOut"/>) of the first image. Default 0.</summary>
    public long FirstHeldOutIndex { get; set; }

    /// <summary>The concept every image gets added. Default <c>tree</c>.</summary>
    public string AddConcept { get; set; } = "tree";

    /// <summary>Side of the added square, in cells of the split layer's grid (8×8 for layer4): 3 cells is 24 pixels at 64².
    /// Default 3.</summary>
    public int AddRegionCells { get; set; } = 3;

    /// <summary>World labels the added square should lie on (where the concept plausibly goes). Default the ground:
    /// grass, hill and path.</summary>
    public IReadOnlyList<string> AddHostLabels { get; set; } = ["grass", "hill", "path"];

    /// <summary>The most of the added concept the square may already hold (ground truth). Default 0.1.</summary>
    public double AddMaxExistingShare { get; set; } = 0.1;

    /// <summary>The segmenter's share of the added concept inside the square, after the edit, that counts as success. Default 0.5.</summary>
    public double AddShareThreshold { get; set; } = 0.5;

    /// <summary>Concepts to remove, in order of preference: an image gets a remove edit for the first of them that covers
    /// <see cref="RemoveMinimumShare"/> of it. Concepts the catalog does not know are skipped. Default dome, then tree.</summary>
    public IReadOnlyList<string> RemoveConcepts { get; set; } = ["dome", "tree"];

    /// <summary>The smallest fraction of the image a concept must cover to be removed. Default 0.02.</summary>
    public double RemoveMinimumShare { get; set; } = 0.02;

    /// <summary>Growth of the removed object's ground-truth region, in pixels; null for 1/32 of the resolution (2 px at 64²).</summary>
    public int? RemoveDilationPixels { get; set; }

    /// <summary>The fraction of add edits, and of remove edits, that must succeed. Default 0.8.</summary>
    public double RequiredPassRate { get; set; } = 0.8;

    /// <summary>The mean PSNR on the unedited pixels, after adaptation, that passes (the paper's mean is 30.6). Default 30.</summary>
    public double MinimumPsnrDb { get; set; } = 30;

    /// <summary>How many of the concept's top units each add and remove changes; null uses the catalog's
    /// <see cref="Editing.ConceptIntensity.High"/> count (the authors' default, 15).</summary>
    public int? UnitCount { get; set; }

    /// <summary>The pipeline's options: inversion and adaptation steps (defaults: 500 and the paper's 1000).</summary>
    public SemanticEditOptions Edit { get; set; } = new();

    /// <summary>When set, <c>edits.png</c> is written here: one row per image (input | add mask | added | remove mask | removed).</summary>
    public string? PictureDirectory { get; set; }

    /// <summary>How many images <c>edits.png</c> shows. Default 4.</summary>
    public int PictureImages { get; set; } = 4;

    /// <summary>The dilation for removed regions at <paramref name="resolution"/>.</summary>
    public int RemoveDilationAt(int resolution) => RemoveDilationPixels ?? Math.Max(1, resolution / 32);

    /// <summary>Checks every value, naming the first that is out of range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range.</exception>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(Images, 1, nameof(Images));
        ArgumentOutOfRangeException.ThrowIfNegative(FirstHeldOutIndex, nameof(FirstHeldOutIndex));
        if (string.IsNullOrWhiteSpace(AddConcept))
        {
            throw new ArgumentOutOfRangeException(nameof(AddConcept), AddConcept, "The concept to add must be named.");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(AddRegionCells, 1, nameof(AddRegionCells));
        ArgumentNullException.ThrowIfNull(AddHostLabels, nameof(AddHostLabels));
        ArgumentNullException.ThrowIfNull(RemoveConcepts, nameof(RemoveConcepts));
        ArgumentNullException.ThrowIfNull(Edit, nameof(Edit));
        CheckFraction(AddMaxExistingShare, nameof(AddMaxExistingShare));
        CheckFraction(AddShareThreshold, nameof(AddShareThreshold));
        CheckFraction(RemoveMinimumShare, nameof(RemoveMinimumShare));
        CheckFraction(RequiredPassRate, nameof(RequiredPassRate));
        if (RemoveDilationPixels is < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(RemoveDilationPixels), RemoveDilationPixels, "The dilation must be zero or positive.");
        }

        if (!double.IsFinite(MinimumPsnrDb))
        {
            throw new ArgumentOutOfRangeException(nameof(MinimumPsnrDb), MinimumPsnrDb, "The PSNR threshold must be a number.");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(PictureImages, nameof(PictureImages));
        Edit.Adaptation.Validate();
    }

    private static void CheckFraction(double value, string name)
    {
        if (!(value >= 0 && value <= 1))
        {
            throw new ArgumentOutOfRangeException(name, value, "The value must be in [0, 1].");
        }
    }
}
