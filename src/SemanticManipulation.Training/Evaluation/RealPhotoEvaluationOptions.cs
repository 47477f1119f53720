using SemanticManipulation.Pipeline;

namespace SemanticManipulation.Training.Evaluation;

/// <summary>How <see cref="RealPhotoEvaluator"/> places and judges its edits on real photos. The masks come from the
/// model's own segmenter, as no ground truth exists for a photo.</summary>
public sealed class RealPhotoEvaluationOptions
{
    /// <summary>The concept added on the ground and removed where the segmenter finds it. Default <c>tree</c>.</summary>
    public string Concept { get; set; } = "tree";

    /// <summary>Side of the added square, in cells of the split layer's grid (3 cells: 24 pixels at 64², 48 at 128²).
    /// Default 3.</summary>
    public int AddRegionCells { get; set; } = 3;

    /// <summary>Segmenter labels the added square should lie on. Default the ground: grass, hill and path.</summary>
    public IReadOnlyList<string> AddHostLabels { get; set; } = ["grass", "hill", "path"];

    /// <summary>The most of the concept the added square may already hold, by the segmenter. Default 0.1.</summary>
    public double AddMaxExistingShare { get; set; } = 0.1;

    /// <summary>The smallest fraction of the photo the segmenter must find the concept on for a remove edit. Default 0.02.</summary>
    public double RemoveMinimumShare { get; set; } = 0.02;

    /// <summary>Side of the window the removed region is confined to, in cells of the split layer's grid: the concept's
    /// pixels inside the grid-aligned window of this side that holds the most of them (4 of an 8×8 grid's cells: a quarter
    /// of the photo). At most the grid's side, which removes the concept everywhere: on a forest photo that leaves almost
    /// nothing for the fit to keep, and so nothing for its PSNR to judge. Default 4.</summary>
    public int RemoveRegionCells { get; set; } = 4;

    /// <summary>Growth of the removed region, in pixels; null for 1/32 of the resolution (2 px at 64²), as the world
    /// evaluation grows its regions.</summary>
    public int? RemoveDilationPixels { get; set; }

    /// <summary>The PSNR on the kept pixels after adaptation that every photo's every edit must reach. Default 30 dB.</summary>
    public double MinimumPsnrDb { get; set; } = 30;

    /// <summary>How many of the concept's top units each edit changes; null uses the catalog's
    /// <see cref="Editing.ConceptIntensity.High"/> count.</summary>
    public int? UnitCount { get; set; }

    /// <summary>The pipeline's options (defaults: 500 inversion steps; adaptation of at most the paper's 1000 steps,
    /// stopping at 40 dB kept-pixel PSNR).</summary>
    public SemanticEditOptions Edit { get; set; } = new();

    /// <summary>When set, a PNG contact sheet is written here: one row per photo (photo | reconstruction G(r*) | add mask |
    /// added | remove mask | removed).</summary>
    public string? ContactSheetPath { get; set; }

    /// <summary>The dilation for removed regions at <paramref name="resolution"/>.</summary>
    public int RemoveDilationAt(int resolution) => RemoveDilationPixels ?? Math.Max(1, resolution / 32);

    /// <summary>Checks every value, naming the first that is out of range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range.</exception>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Concept))
        {
            throw new ArgumentOutOfRangeException(nameof(Concept), Concept, "The concept must be named.");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(AddRegionCells, 1, nameof(AddRegionCells));
        ArgumentNullException.ThrowIfNull(AddHostLabels, nameof(AddHostLabels));
        ArgumentNullException.ThrowIfNull(Edit, nameof(Edit));
        if (!(AddMaxExistingShare is >= 0 and <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(AddMaxExistingShare), AddMaxExistingShare, "The value must be in [0, 1].");
        }

        if (!(RemoveMinimumShare is >= 0 and <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(RemoveMinimumShare), RemoveMinimumShare, "The value must be in [0, 1].");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(RemoveRegionCells, 1, nameof(RemoveRegionCells));
        if (RemoveDilationPixels is < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(RemoveDilationPixels), RemoveDilationPixels, "The dilation must be zero or positive.");
        }

        if (!double.IsFinite(MinimumPsnrDb))
        {
            throw new ArgumentOutOfRangeException(nameof(MinimumPsnrDb), MinimumPsnrDb, "The PSNR threshold must be a number.");
        }

        Edit.Adaptation.Validate();
    }
}
