using SemanticManipulation.Pipeline;

namespace SemanticManipulation.Training.Evaluation;

/// <summary>How <see cref="EditEvaluator"/> chooses and judges its edits. The defaults are the bars a default model is held to: on 20
/// held-out images, adding trees reaches a 50 % share in the mask on 85 % of them with square and with tree-shaped masks alike,
/// removing lowers the concept's share on every image and halves it on 80 %, and every edit keeps 30 dB on the unedited pixels.</summary>
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

    /// <summary>The segmenter's share of the added concept inside the mask, after the edit, that counts as success. Default 0.5.</summary>
    public double AddShareThreshold { get; set; } = 0.5;

    /// <summary>The masks each image's add is painted with, one add edit per shape, all inside the chosen square: the square
    /// itself and a tree's silhouette (<see cref="EditMaskShape.ObjectRegion"/> is the remove edits' shape, not an add's). Default
    /// both.</summary>
    public IReadOnlyList<EditMaskShape> AddMaskShapes { get; set; } = [EditMaskShape.Square, EditMaskShape.Tree];

    /// <summary>Concepts to remove, in order of preference: an image gets a remove edit for the first of them that covers
    /// <see cref="RemoveMinimumShare"/> of it. Concepts the catalog does not know are skipped. Default dome, then tree.</summary>
    public IReadOnlyList<string> RemoveConcepts { get; set; } = ["dome", "tree"];

    /// <summary>The smallest fraction of the image a concept must cover to be removed. Default 0.02.</summary>
    public double RemoveMinimumShare { get; set; } = 0.02;

    /// <summary>Growth of the removed object's ground-truth region, in pixels; null for 1/32 of the resolution (2 px at 64²).</summary>
    public int? RemoveDilationPixels { get; set; }

    /// <summary>The fraction of add edits of each mask shape that must reach <see cref="AddShareThreshold"/>. Default 0.85.</summary>
    public double RequiredPassRate { get; set; } = 0.85;

    /// <summary>The fraction of remove edits that must lower the concept's share in the mask. Default 1: every one.</summary>
    public double RequiredRemoveLoweringRate { get; set; } = 1;

    /// <summary>The fraction of remove edits that must at least halve the concept's share in the mask. Default 0.8.</summary>
    public double RequiredRemoveHalvingRate { get; set; } = 0.8;

    /// <summary>The PSNR on the unedited pixels, after adaptation, that every edit must keep (the paper's mean is 30.6).
    /// Default 30.</summary>
    public double MinimumPsnrDb { get; set; } = 30;

    /// <summary>How many of the concept's top units each add and remove changes; null uses the catalog's
    /// <see cref="Editing.ConceptIntensity.High"/> count (the authors' default, 15).</summary>
    public int? UnitCount { get; set; }

    /// <summary>The pipeline's options (defaults: 500 inversion steps; adaptation of at most the paper's 1000 steps,
    /// stopping at 40 dB kept-pixel PSNR).</summary>
    public SemanticEditOptions Edit { get; set; } = new();

    /// <summary>When set, <c>edits.png</c> is written here: one row per image (input, then each edit's mask and result: the adds
    /// in <see cref="AddMaskShapes"/>' order, then the remove).</summary>
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
        CheckFraction(RequiredRemoveLoweringRate, nameof(RequiredRemoveLoweringRate));
        CheckFraction(RequiredRemoveHalvingRate, nameof(RequiredRemoveHalvingRate));
        ArgumentNullException.ThrowIfNull(AddMaskShapes, nameof(AddMaskShapes));
        if (AddMaskShapes.Count == 0 || AddMaskShapes.Distinct().Count() != AddMaskShapes.Count
            || AddMaskShapes.Any(shape => shape is not (EditMaskShape.Square or EditMaskShape.Tree)))
        {
            throw new ArgumentOutOfRangeException(nameof(AddMaskShapes), string.Join(", ", AddMaskShapes),
                "Add edits need one or both of the Square and Tree shapes, each once.");
        }

        if (UnitCount is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(UnitCount), UnitCount, "An add or remove must change at least one unit.");
        }

        if (RemoveDilationPixels is < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(RemoveDilationPixels), RemoveDilationPixels, "The dilation must be zero or positive.");
        }

        if (!double.IsFinite(MinimumPsnrDb))
        {
            throw new ArgumentOutOfRangeException(nameof(MinimumPsnrDb), MinimumPsnrDb, "The PSNR threshold must be a number.");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(PictureImages, nameof(PictureImages));
        Edit.Inversion.Validate();
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
