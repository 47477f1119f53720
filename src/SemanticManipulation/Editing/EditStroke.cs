namespace SemanticManipulation.Editing;

/// <summary>
/// One edit at the split layer, self-contained so it can be replayed without the catalog or reference image that
/// produced it: inside <see cref="Mask"/> (max-pooled to the layer's grid), each unit in <see cref="Units"/> moves
/// toward its value by <see cref="Strength"/>, <c>a[u, p] = strength · pool(mask)[p]</c>, <c>r_e = r·(1 − a) + v·a</c>.
/// Immutable.
/// </summary>
public sealed class EditStroke
{
    /// <summary>Creates a stroke.</summary>
    /// <param name="operatorName">The operator that made it (e.g. <c>add</c>).</param>
    /// <param name="mask">The painted region at image resolution.</param>
    /// <param name="units">The units it changes, each at most once.</param>
    /// <param name="values">The value each unit takes, in the order of <paramref name="units"/>.</param>
    /// <param name="strength">How far the units move toward their values, in [0, 1].</param>
    /// <param name="concept">The concept painted, if any.</param>
    /// <param name="notes">What the user should know about how the request was interpreted.</param>
    /// <exception cref="ArgumentOutOfRangeException">The strength is outside [0, 1].</exception>
    /// <exception cref="ArgumentException">Units and values differ in number, a unit is negative or repeated, or a value
    /// is not finite.</exception>
    public EditStroke(
        string operatorName,
        StrokeMask mask,
        IReadOnlyList<int> units,
        IReadOnlyList<float> values,
        float strength = 1f,
        string? concept = null,
        IReadOnlyList<string>? notes = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(operatorName);
        ArgumentNullException.ThrowIfNull(mask);
        ArgumentNullException.ThrowIfNull(units);
        ArgumentNullException.ThrowIfNull(values);
        ThrowIfInvalidStrength(strength);
        if (units.Count != values.Count)
        {
            throw new ArgumentException($"A stroke needs one value per unit; got {units.Count} units and {values.Count} values.", nameof(values));
        }

        var seen = new HashSet<int>();
        foreach (var unit in units)
        {
            if (unit < 0 || !seen.Add(unit))
            {
                throw new ArgumentException($"Stroke unit {unit} is negative or listed twice.", nameof(units));
            }
        }

        var bad = values.FirstOrDefault(v => !float.IsFinite(v), 0f);
        if (!float.IsFinite(bad))
        {
            throw new ArgumentException($"Stroke values must be finite; found {bad}.", nameof(values));
        }

        Operator = operatorName;
        Mask = mask;
        Units = units.ToArray().AsReadOnly();
        Values = values.ToArray().AsReadOnly();
        Strength = strength;
        Concept = concept;
        Notes = new List<string>([.. mask.Notes, .. notes ?? []]).AsReadOnly();
    }

    /// <summary>The operator that made the stroke.</summary>
    public string Operator { get; }

    /// <summary>The concept painted, if any.</summary>
    public string? Concept { get; }

    /// <summary>The painted region at image resolution.</summary>
    public StrokeMask Mask { get; }

    /// <summary>The units the stroke changes.</summary>
    public IReadOnlyList<int> Units { get; }

    /// <summary>The value each unit takes, aligned with <see cref="Units"/>.</summary>
    public IReadOnlyList<float> Values { get; }

    /// <summary>How far the units move toward their values, in [0, 1].</summary>
    public float Strength { get; }

    /// <summary>What the user should know about how the request was interpreted (a resized mask, fewer units than asked).</summary>
    public IReadOnlyList<string> Notes { get; }

    /// <inheritdoc />
    public override string ToString() =>
        $"{Operator}{(Concept is null ? "" : " " + Concept)}: {Units.Count} units, strength {Strength}, {Mask.Coverage:P1} of the image";

    /// <summary>Refuses a strength outside [0, 1] (or NaN).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The strength is outside [0, 1].</exception>
    internal static void ThrowIfInvalidStrength(float strength, string parameterName = "strength")
    {
        if (!(strength >= 0f && strength <= 1f))
        {
            throw new ArgumentOutOfRangeException(parameterName, strength,
                "The edit strength must be in [0, 1] (0 leaves the image unchanged, 1 applies the edit fully).");
        }
    }
}
