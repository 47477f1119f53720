using static TorchSharp.torch;

namespace SemanticManipulation.Editing;

/// <summary>
/// One edit a user asks for: where (a painted mask) and how strongly, plus the arguments of its kind. Each kind is a
/// small record (<see cref="AddConcept"/>, <see cref="RemoveConcept"/>, <see cref="Restyle"/>, or a host's own) that an
/// <see cref="IEditOperator{TEdit}"/> turns into an <see cref="EditStroke"/>.
/// </summary>
public abstract record SemanticEdit
{
    /// <summary>Creates an edit, refusing a missing mask or a strength outside [0, 1].</summary>
    /// <param name="mask">The painted region at image resolution: <c>[1, 1, S, S]</c> or <c>[S, S]</c>, values in
    /// [0, 1] (1 = edit), e.g. from <see cref="Imaging.EditMask"/>. Not copied: keep it alive until the edit is applied.</param>
    /// <param name="strength">How far the edit goes, in [0, 1].</param>
    /// <exception cref="ArgumentOutOfRangeException">The strength is outside [0, 1].</exception>
    protected SemanticEdit(Tensor mask, float strength)
    {
        ArgumentNullException.ThrowIfNull(mask);
        EditStroke.ThrowIfInvalidStrength(strength);
        Mask = mask;
        Strength = strength;
    }

    /// <summary>The painted region at image resolution, values in [0, 1].</summary>
    public Tensor Mask { get; }

    /// <summary>How far the edit goes, in [0, 1] (0 leaves the image as it is).</summary>
    public float Strength { get; }
}
