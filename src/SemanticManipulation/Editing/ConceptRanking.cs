namespace SemanticManipulation.Editing;

/// <summary>A concept's units, best first.</summary>
public sealed class ConceptRanking
{
    /// <summary>Creates a ranking.</summary>
    /// <param name="concept">The concept name (not empty).</param>
    /// <param name="metric">What the scores measure: <c>iou</c> (dissection), <c>ace</c> (the authors' causal effect), …</param>
    /// <param name="units">The units, best first; each unit at most once.</param>
    /// <exception cref="ArgumentException">The name is empty, a unit is negative or repeated, or a score is not finite.</exception>
    public ConceptRanking(string concept, string metric, IEnumerable<RankedUnit> units)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(concept);
        ArgumentException.ThrowIfNullOrWhiteSpace(metric);
        ArgumentNullException.ThrowIfNull(units);
        var list = units.ToArray();
        var seen = new HashSet<int>();
        foreach (var (unit, score) in list)
        {
            if (unit < 0 || !seen.Add(unit))
            {
                throw new ArgumentException($"Concept '{concept}': unit {unit} is negative or listed twice.", nameof(units));
            }

            if (!float.IsFinite(score))
            {
                throw new ArgumentException($"Concept '{concept}': unit {unit} has a non-finite score.", nameof(units));
            }
        }

        Concept = concept;
        Metric = metric;
        Units = list.AsReadOnly();
    }

    /// <summary>The concept name.</summary>
    public string Concept { get; }

    /// <summary>What the scores measure (<c>iou</c>, <c>ace</c>, …).</summary>
    public string Metric { get; }

    /// <summary>The units, best first.</summary>
    public IReadOnlyList<RankedUnit> Units { get; }

    /// <inheritdoc />
    public override string ToString() =>
        $"{Concept} ({Metric}): {string.Join(", ", Units.Take(5).Select(u => u.Unit))}{(Units.Count > 5 ? ", …" : "")}";
}
