using SemanticManipulation.Editing;
using SemanticManipulation.Imaging;
using static TorchSharp.torch;

namespace SemanticManipulation.Adaptation;

/// <summary>What a fit reproduces: the photo x, its representation r, and optionally an edit.</summary>
/// <param name="Photo">The photo at the generator's resolution.</param>
/// <param name="Representation">r, the photo's representation at the split layer, <c>[1, C, H, W]</c>.</param>
/// <param name="EditMask">The edited region at the generator's resolution; null for none (the preview fit).</param>
/// <param name="EditedRepresentation">r_e, the edited representation; null means r (no edit).</param>
public sealed record AdaptationTarget(ModelPhoto Photo, Tensor Representation, StrokeMask? EditMask = null, Tensor? EditedRepresentation = null);
