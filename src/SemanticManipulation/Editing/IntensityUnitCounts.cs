namespace SemanticManipulation.Editing;

/// <summary>How many top units each <see cref="ConceptIntensity"/> uses.</summary>
/// <param name="Low">Units for <see cref="ConceptIntensity.Low"/>.</param>
/// <param name="Medium">Units for <see cref="ConceptIntensity.Medium"/>.</param>
/// <param name="High">Units for <see cref="ConceptIntensity.High"/>.</param>
public sealed record IntensityUnitCounts(int Low, int Medium, int High)
{
    /// <summary>GANPaint Studio's counts: 4, 10 and 15 units.</summary>
    public static IntensityUnitCounts Default { get; } = new(4, 10, 15);

    /// <summary>The unit count for <paramref name="intensity"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Not a defined intensity.</exception>
    public int For(ConceptIntensity intensity) => intensity switch
    {
        ConceptIntensity.Low => Low,
        ConceptIntensity.Medium => Medium,
        ConceptIntensity.High => High,
        _ => throw new ArgumentOutOfRangeException(nameof(intensity), intensity, "Unknown intensity."),
    };

    /// <summary>Refuses counts that are not positive.</summary>
    internal void Validate()
    {
        if (Low < 1 || Medium < 1 || High < 1)
        {
            throw new ArgumentException($"Intensity unit counts must be positive; got low {Low}, medium {Medium}, high {High}.");
        }
    }
}
