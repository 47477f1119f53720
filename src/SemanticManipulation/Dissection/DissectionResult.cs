using SemanticManipulation.Editing;

namespace SemanticManipulation.Dissection;

/// <summary>What a dissection found: the concept catalog edits use, and the unit–concept statistics behind it.</summary>
public sealed class DissectionResult
{
    private readonly Dictionary<string, int> _labelIndex;
    private readonly float[,] _iou;
    private readonly float[,] _iqr;
    private readonly float[,] _thresholds;

    internal DissectionResult(
        ConceptCatalog catalog,
        IReadOnlyList<string> labels,
        IReadOnlyList<double> labelFractions,
        float[,] iou,
        float[,] iqr,
        float[,] thresholds,
        TimeSpan elapsed)
    {
        Catalog = catalog;
        Labels = labels;
        LabelFractions = labelFractions;
        _iou = iou;
        _iqr = iqr;
        _thresholds = thresholds;
        Elapsed = elapsed;
        _labelIndex = labels.Select((l, i) => (l, i)).ToDictionary(x => x.l, x => x.i, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>The catalog: concepts with their units ranked by IoU, q99 levels, squash units.</summary>
    public ConceptCatalog Catalog { get; }

    /// <summary>The segmenter's labels, in its order (including concepts too rare to enter the catalog).</summary>
    public IReadOnlyList<string> Labels { get; }

    /// <summary>Per label, the fraction of sampled pixels it covered.</summary>
    public IReadOnlyList<double> LabelFractions { get; }

    /// <summary>How long the dissection took.</summary>
    public TimeSpan Elapsed { get; }

    /// <summary>The IoU of <paramref name="unit"/>'s thresholded map with <paramref name="concept"/>, at the
    /// IQR-optimal threshold (0 when no threshold associates them positively).</summary>
    /// <exception cref="UnknownConceptException">The segmenter has no such label.</exception>
    public float IoU(string concept, int unit) => _iou[IndexOf(concept), CheckedUnit(unit)];

    /// <summary>The information quality ratio I/H of the unit and concept at that threshold.</summary>
    /// <exception cref="UnknownConceptException">The segmenter has no such label.</exception>
    public float InformationQualityRatio(string concept, int unit) => _iqr[IndexOf(concept), CheckedUnit(unit)];

    /// <summary>The IQR-optimal activation threshold of the unit for the concept (NaN when none qualifies).</summary>
    /// <exception cref="UnknownConceptException">The segmenter has no such label.</exception>
    public float Threshold(string concept, int unit) => _thresholds[IndexOf(concept), CheckedUnit(unit)];

    private int IndexOf(string concept) =>
        concept is not null && _labelIndex.TryGetValue(concept, out var index) ? index : throw new UnknownConceptException(concept, Labels);

    private int CheckedUnit(int unit)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(unit);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(unit, Catalog.UnitCount);
        return unit;
    }
}
