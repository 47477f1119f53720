using static TorchSharp.torch;

namespace SemanticManipulation.Editing;

/// <summary>An edit that sets a concept's top units inside the mask: the base of <see cref="AddConcept"/> and
/// <see cref="RemoveConcept"/>, and of a host's own concept edits.</summary>
public abstract record ConceptEdit : SemanticEdit
{
    private readonly int? _unitCount;

    /// <summary>Creates the edit.</summary>
    /// <param name="concept">The concept's name in the catalog (e.g. <c>tree</c>).</param>
    /// <param name="mask">The painted region (see <see cref="SemanticEdit.Mask"/>).</param>
    /// <param name="intensity">How many of the concept's top units to change.</param>
    /// <param name="strength">How far the units move toward their values, in [0, 1].</param>
    /// <exception cref="ArgumentException">The concept is empty.</exception>
    protected ConceptEdit(string concept, Tensor mask, ConceptIntensity intensity, float strength)
        : base(mask, strength)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(concept);
        if (!Enum.IsDefined(intensity))
        {
            throw new ArgumentOutOfRangeException(nameof(intensity), intensity, "Use ConceptIntensity.Low, Medium or High.");
        }

        Concept = concept;
        Intensity = intensity;
    }

    /// <summary>The concept's name in the catalog.</summary>
    public string Concept { get; }

    /// <summary>How many of the concept's top units to change: the catalog's count for this intensity.</summary>
    public ConceptIntensity Intensity { get; }

    /// <summary>An exact number of units, overriding <see cref="Intensity"/>; null to use the intensity.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The count is less than 1.</exception>
    public int? UnitCount
    {
        get => _unitCount;
        init
        {
            if (value < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(UnitCount), value, "The unit count must be at least 1.");
            }

            _unitCount = value;
        }
    }
}
