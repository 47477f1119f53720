namespace SemanticManipulation.Training.Evaluation;

/// <summary>One class's pixel share in generated images against the world's.</summary>
public sealed record ClassShareComparison
{
    /// <summary>The class (a segmenter label, e.g. <c>tree</c>).</summary>
    public required string Label { get; init; }

    /// <summary>Fraction of the generated images' pixels the segmenter gives this label.</summary>
    public required double GeneratedShare { get; init; }

    /// <summary>Fraction of the first world sample's pixels the segmenter gives this label: the reference, since the
    /// same judge looks at both sets.</summary>
    public required double WorldShare { get; init; }

    /// <summary>The same for the second, disjoint world sample: how much the share moves between two world samples.</summary>
    public required double SecondWorldShare { get; init; }

    /// <summary>Fraction of the first world sample's pixels whose ground-truth label is this one; null when the world
    /// has no label of this name.</summary>
    public double? WorldTruthShare { get; init; }

    /// <summary>|generated − world| / world against <see cref="WorldShare"/>; null when the world share is 0.</summary>
    public double? RelativeDifference { get; init; }

    /// <summary>|generated − truth| / truth against <see cref="WorldTruthShare"/>; null when there is no truth share or it is 0.</summary>
    public double? RelativeDifferenceToTruth { get; init; }

    /// <summary>Whether the class is common enough in the world to be checked (see
    /// <see cref="GeneratorQualityOptions.MinimumCheckedShare"/>).</summary>
    public required bool Checked { get; init; }

    /// <summary>Whether <see cref="RelativeDifference"/> is within the tolerance (reported for unchecked classes too).</summary>
    public required bool WithinTolerance { get; init; }
}
