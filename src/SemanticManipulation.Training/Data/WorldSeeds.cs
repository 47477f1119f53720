namespace SemanticManipulation.Training.Data;

/// <summary>
/// Disjoint seed ranges of the scene world, so that evaluation images and sample photos are never training images.
/// </summary>
public static class WorldSeeds
{
    private const long TrainingBase = 1_000_000;
    private const long SegmenterBase = 2_000_000_000;
    private const long HeldOutBase = 9_000_000_000;

    /// <summary>The <paramref name="index"/>-th image the GAN and encoder train on.</summary>
    public static long Training(long index) => TrainingBase + index;

    /// <summary>The <paramref name="index"/>-th image the segmenter trains on.</summary>
    public static long Segmenter(long index) => SegmenterBase + index;

    /// <summary>The <paramref name="index"/>-th held-out image: evaluation and sample photos, never trained on.</summary>
    public static long HeldOut(long index) => HeldOutBase + index;
}
