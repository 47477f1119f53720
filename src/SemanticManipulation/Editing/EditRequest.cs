using static TorchSharp.torch;

namespace SemanticManipulation.Editing;

/// <summary>What the user asked an <see cref="IEditOperator"/> for: where, how strongly, and the operator's arguments.</summary>
public sealed class EditRequest
{
    /// <summary>The painted region at image resolution: <c>[1, 1, S, S]</c> or <c>[S, S]</c>, values in [0, 1]
    /// (1 = edit), e.g. from <see cref="Imaging.EditMask"/>. Not modified or kept.</summary>
    public required Tensor Mask { get; init; }

    /// <summary>How far the edit goes, in [0, 1]. Default 1.</summary>
    public float Strength { get; init; } = 1f;

    /// <summary>The concept to add or remove (e.g. <c>tree</c>), for concept operators.</summary>
    public string? Concept { get; init; }

    /// <summary>How many of the concept's top units to change. Default <see cref="ConceptIntensity.High"/>.</summary>
    public ConceptIntensity Intensity { get; init; } = ConceptIntensity.High;

    /// <summary>An exact number of units, overriding <see cref="Intensity"/>; null to use the intensity.</summary>
    public int? UnitCount { get; init; }

    /// <summary>The appearance to copy, for <see cref="RestyleOperator"/>.</summary>
    public ReferenceImage? Reference { get; init; }
}
