using SemanticManipulation.Editing;

namespace SemanticManipulation.Pipeline;

/// <summary>
/// What a <see cref="SemanticEditor"/> is made of. Only the generator is required; <see cref="SemanticEditor"/> fills in
/// the rest with the SDK's one set of defaults. A model bundle gives its parts (<c>ModelBundle.Parts</c>), DI resolves
/// them (<c>AddSemanticManipulation</c>), and a host swaps any of them with <c>with { … }</c>.
/// </summary>
public sealed record SemanticEditorParts
{
    /// <summary>The generator, split into G_H (early layers) and G_F (late layers). Not owned by the editor.</summary>
    public required ILayerSplitGenerator Generator { get; init; }

    /// <summary>Inversion's encoder E, for the first guess; null to start from the generator's mean features.</summary>
    public IRepresentationEncoder? Encoder { get; init; }

    /// <summary>Inversion's feature loss φ; null (the default) to refine pixel-only, which on the embedded model (128²)
    /// reconstructs better in less time. Give one (e.g. <c>ResNet18FeatureLoss.Load()</c>) for the authors' loss.</summary>
    public IFeatureLoss? FeatureLoss { get; init; }

    /// <summary>The inverter; null for <see cref="Inversion.ImageInverter"/> with <see cref="Encoder"/> and
    /// <see cref="FeatureLoss"/>.</summary>
    public IImageInverter? Inverter { get; init; }

    /// <summary>Creates the perturbation network R for fitting G'; null for the SDK's.</summary>
    public IPerturbationNetworkFactory? Perturbations { get; init; }

    /// <summary>The concepts and their units, which <c>add</c> and <c>remove</c> need.</summary>
    public IConceptCatalog? Catalog { get; init; }

    /// <summary>Judges an edit: the share of each edited concept inside its mask, before and after. Null: not measured.</summary>
    public ISegmenter? Segmenter { get; init; }

    /// <summary>The edit operators; null for the built-in <c>add</c>, <c>remove</c> and <c>restyle</c>.</summary>
    public EditOperatorRegistry? Operators { get; init; }
}
