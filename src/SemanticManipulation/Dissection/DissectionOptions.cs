using SemanticManipulation.Editing;

namespace SemanticManipulation.Dissection;

/// <summary>How <see cref="GanDissector"/> samples, thresholds and ranks.</summary>
public sealed class DissectionOptions
{
    /// <summary>Random samples streamed through G_H for the per-unit quantiles (cheap: no rendering). Default 2000.</summary>
    public int QuantileSamples { get; set; } = 2000;

    /// <summary>Random samples rendered and segmented to measure unit–concept overlap. Default 500.</summary>
    public int SegmentationSamples { get; set; } = 500;

    /// <summary>Samples per forward pass. Default 8.</summary>
    public int BatchSize { get; set; } = 8;

    /// <summary>Seed of the random latents: the same seed gives the same catalog. Default 0.</summary>
    public long Seed { get; set; }

    /// <summary>The quantile stored as each unit's level, the value "add" writes. Default 0.99, as the authors.</summary>
    public double LevelQuantile { get; set; } = 0.99;

    /// <summary>Bins of each unit's streaming histogram (memory: units × bins counts). Default 2048.</summary>
    public int HistogramBins { get; set; } = 2048;

    /// <summary>Candidate thresholds per unit, at the unit's quantiles 1 − f for f log-spaced from 0.001 to 1 (as
    /// netdissect). Default 64.</summary>
    public int ThresholdCandidates { get; set; } = 64;

    /// <summary>
    /// Side of the grid where unit maps (bilinearly upsampled) and concept masks (area-downsampled, then ≥ 0.5) are
    /// compared. Null means the generator's resolution capped at 64: the layer's grid is 8×8, so finer comparison adds
    /// cost, not information.
    /// </summary>
    public int? AnalysisResolution { get; set; }

    /// <summary>Units kept per concept in the catalog, best first. Default 20 (as the authors' published rankings).</summary>
    public int UnitsPerConcept { get; set; } = 20;

    /// <summary>Concepts covering less than this fraction of the sampled pixels are left out (their statistics are
    /// noise). Default 0.001, as netdissect.</summary>
    public double MinimumConceptFraction { get; set; } = 1e-3;

    /// <summary>Units to exclude from edits, in addition to those detected by <see cref="SquashLevelRatio"/>.</summary>
    public IReadOnlyList<int>? SquashUnits { get; set; }

    /// <summary>Units whose level exceeds this multiple of the median level are squash units. Null detects none.
    /// Default 5.</summary>
    public double? SquashLevelRatio { get; set; } = 5.0;

    /// <summary>
    /// How many top units the catalog's low, medium and high intensities use; null for GANPaint Studio's 4, 10 and 15.
    /// A small generator's units are less specific than the authors' 512-channel ones, so it may need more per edit.
    /// At most <see cref="UnitsPerConcept"/> (the catalog keeps no more).
    /// </summary>
    public IntensityUnitCounts? Intensities { get; set; }

    /// <summary>
    /// When set, each concept's units are ranked by their causal effect on the segmenter's view (a third pass that renders
    /// interventions) instead of by IoU; null (the default) ranks by IoU, as GANPaint Studio's catalogs.
    /// </summary>
    public CausalRankingOptions? CausalRanking { get; set; }

    internal DissectionOptions Clone() => (DissectionOptions)MemberwiseClone();

    /// <summary>Checks every value, naming the first that is out of range.</summary>
    /// <exception cref="ArgumentException">A value is out of range (<see cref="ArgumentOutOfRangeException"/> for most).</exception>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(QuantileSamples, 1, nameof(QuantileSamples));
        if (Intensities is { } intensities)
        {
            intensities.Validate();
            if (intensities.High > UnitsPerConcept || intensities.Medium > UnitsPerConcept || intensities.Low > UnitsPerConcept)
            {
                throw new ArgumentOutOfRangeException(nameof(Intensities), intensities,
                    $"An intensity uses more units than the catalog keeps per concept ({nameof(UnitsPerConcept)} = {UnitsPerConcept}).");
            }
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(SegmentationSamples, 1, nameof(SegmentationSamples));
        CausalRanking?.Validate();
        ArgumentOutOfRangeException.ThrowIfLessThan(BatchSize, 1, nameof(BatchSize));
        ArgumentOutOfRangeException.ThrowIfLessThan(HistogramBins, 16, nameof(HistogramBins));
        ArgumentOutOfRangeException.ThrowIfLessThan(ThresholdCandidates, 2, nameof(ThresholdCandidates));
        ArgumentOutOfRangeException.ThrowIfLessThan(UnitsPerConcept, 1, nameof(UnitsPerConcept));
        if (HistogramBins % 2 != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(HistogramBins), HistogramBins, "The histogram needs an even number of bins.");
        }

        if (!(LevelQuantile > 0 && LevelQuantile <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(LevelQuantile), LevelQuantile, "The level quantile must be in (0, 1].");
        }

        if (AnalysisResolution is { } side && side < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(AnalysisResolution), side, "The analysis resolution must be positive.");
        }

        if (!(MinimumConceptFraction >= 0 && MinimumConceptFraction < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(MinimumConceptFraction), MinimumConceptFraction, "Must be in [0, 1).");
        }

        if (SquashLevelRatio is double ratio && !(ratio > 0 && double.IsFinite(ratio)))
        {
            throw new ArgumentOutOfRangeException(nameof(SquashLevelRatio), ratio, "The squash level ratio must be a positive number (or null for none).");
        }
    }
}
