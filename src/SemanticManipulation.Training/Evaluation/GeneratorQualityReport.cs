namespace SemanticManipulation.Training.Evaluation;

/// <summary>
/// How closely a generator matches the scene world, as the segmenter sees both: per-class pixel shares and a Fréchet
/// distance on the segmenter's pooled features, beside the same distance between two disjoint world samples (the floor
/// a perfect generator would reach with this many images).
/// </summary>
public sealed record GeneratorQualityReport
{
    /// <summary>Side of the images, in pixels (the generator's resolution).</summary>
    public required int Resolution { get; init; }

    /// <summary>Generated images.</summary>
    public required int GeneratedImages { get; init; }

    /// <summary>World images in each of the two world samples.</summary>
    public required int WorldImages { get; init; }

    /// <summary>Per class, in the segmenter's label order.</summary>
    public required IReadOnlyList<ClassShareComparison> Classes { get; init; }

    /// <summary>Fréchet distance between the generated images' and the first world sample's features.</summary>
    public required double FrechetDistance { get; init; }

    /// <summary>Fréchet distance between the two world samples' features: the reference for <see cref="FrechetDistance"/>.</summary>
    public required double WorldFrechetDistance { get; init; }

    /// <summary>The segmenter's pixel accuracy on the first world sample against the ground truth (how far to trust it).</summary>
    public required double SegmenterPixelAccuracy { get; init; }

    /// <summary>The relative share tolerance applied.</summary>
    public required double RelativeTolerance { get; init; }

    /// <summary>Classes checked (common enough in the world).</summary>
    public required int ClassesChecked { get; init; }

    /// <summary>Checked classes whose generated share is within the tolerance.</summary>
    public required int ClassesWithinTolerance { get; init; }

    /// <summary>Whether every checked class is within the tolerance.</summary>
    public required bool SharesWithinTolerance { get; init; }

    /// <summary>Wall time of the evaluation, in seconds.</summary>
    public required double Seconds { get; init; }
}
