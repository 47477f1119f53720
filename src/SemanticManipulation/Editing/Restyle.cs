using static TorchSharp.torch;

namespace SemanticManipulation.Editing;

/// <summary>"Make these roofs look like that reference": the masked region's representation moved toward the
/// reference's by <see cref="SemanticEdit.Strength"/> (<see cref="RestyleOperator"/>).</summary>
public sealed record Restyle : SemanticEdit
{
    private readonly ReferenceImage _reference;

    /// <summary>Creates the edit.</summary>
    /// <param name="reference">The appearance to copy: a file, an image or its representation. The pipeline inverts a
    /// file or image before the operator runs.</param>
    /// <param name="mask">The painted region at image resolution, values in [0, 1].</param>
    /// <param name="strength">s in [0, 1]: 0 leaves the representation as it is, 1 takes the reference's.</param>
    public Restyle(ReferenceImage reference, Tensor mask, float strength = 1f)
        : base(mask, strength)
    {
        ArgumentNullException.ThrowIfNull(reference);
        _reference = reference;
    }

    /// <summary>The appearance to copy.</summary>
    public ReferenceImage Reference
    {
        get => _reference;
        init
        {
            ArgumentNullException.ThrowIfNull(value);
            _reference = value;
        }
    }
}
