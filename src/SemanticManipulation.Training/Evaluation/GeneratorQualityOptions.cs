namespace SemanticManipulation.Training.Evaluation;

/// <summary>How <see cref="GeneratorQualityEvaluator"/> samples and judges. The defaults are the bars the default model is held to: 1,000 images,
/// shares within 25 %.</summary>
public sealed class GeneratorQualityOptions
{
    /// <summary>Generated images, and world images in each of the two world samples. Default 1000.</summary>
    public int Images { get; set; } = 1000;

    /// <summary>Images generated, rendered and segmented at once. Default 25.</summary>
    public int BatchSize { get; set; } = 25;

    /// <summary>Seed of the latents z ~ N(0, I) of the generated images. Default 0.</summary>
    public long Seed { get; set; }

    /// <summary>
    /// Index (in <see cref="Data.WorldSeeds.HeldOut"/>) of the first world image. The first world sample takes
    /// <see cref="Images"/> held-out seeds from here, the second the next <see cref="Images"/>. The default, 100 000,
    /// keeps both clear of the edit evaluation's images (held-out indices from 0).
    /// </summary>
    public long FirstHeldOutIndex { get; set; } = 100_000;

    /// <summary>The largest relative difference |generated − world| / world of a class's pixel share that passes. Default 0.25.</summary>
    public double RelativeTolerance { get; set; } = 0.25;

    /// <summary>
    /// Classes whose share in the world (as the segmenter sees it) is below this are reported but not checked: a relative
    /// difference of a class that covers a few pixels in a thousand images is noise. Default 0.002 (0.2 % of the pixels).
    /// </summary>
    public double MinimumCheckedShare { get; set; } = 0.002;

    /// <summary>When set, sample grids are written here: <c>generated-samples.png</c> and <c>world-samples.png</c>.</summary>
    public string? PictureDirectory { get; set; }

    /// <summary>Columns of the sample grids. Default 8.</summary>
    public int PictureColumns { get; set; } = 8;

    /// <summary>Rows of the sample grids. Default 4.</summary>
    public int PictureRows { get; set; } = 4;

    /// <summary>Checks every value, naming the first that is out of range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range.</exception>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(Images, 2, nameof(Images));
        ArgumentOutOfRangeException.ThrowIfLessThan(BatchSize, 1, nameof(BatchSize));
        ArgumentOutOfRangeException.ThrowIfNegative(FirstHeldOutIndex, nameof(FirstHeldOutIndex));
        if (!(RelativeTolerance >= 0) || double.IsInfinity(RelativeTolerance))
        {
            throw new ArgumentOutOfRangeException(nameof(RelativeTolerance), RelativeTolerance, "The tolerance must be zero or positive.");
        }

        if (!(MinimumCheckedShare >= 0 && MinimumCheckedShare < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(MinimumCheckedShare), MinimumCheckedShare, "The minimum share must be in [0, 1).");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(PictureColumns, 1, nameof(PictureColumns));
        ArgumentOutOfRangeException.ThrowIfLessThan(PictureRows, 1, nameof(PictureRows));
    }
}
