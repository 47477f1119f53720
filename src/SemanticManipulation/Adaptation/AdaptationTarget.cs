using static TorchSharp.torch;

namespace SemanticManipulation.Adaptation;

/// <summary>What a fit reproduces: the photo x, its representation r, and optionally an edit.</summary>
/// <param name="Photo">The photo, <c>[1, 3, R, R]</c> in [-1, 1].</param>
/// <param name="Representation">r, the photo's representation at the split layer, <c>[1, C, H, W]</c>.</param>
/// <param name="EditMask">The edited region, <c>[1, 1, R, R]</c> in [0, 1]; null for none (the preview fit).</param>
/// <param name="EditedRepresentation">r_e, the edited representation; null means r (no edit).</param>
public sealed record AdaptationTarget(Tensor Photo, Tensor Representation, Tensor? EditMask = null, Tensor? EditedRepresentation = null);
