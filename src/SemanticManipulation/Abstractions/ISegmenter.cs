using static TorchSharp.torch;

namespace SemanticManipulation;

/// <summary>
/// Finds concepts in images: the "segmenter" GAN dissection compares units with, and the judge of whether an edit
/// added or removed a concept. Labels may overlap (an object and its material), so the output is one mask per label.
/// </summary>
public interface ISegmenter : IDisposable
{
    /// <summary>The concept names, in the order of the output's label dimension (e.g. <c>tree</c>, <c>sky</c>).</summary>
    IReadOnlyList<string> Labels { get; }

    /// <summary>Segments images <c>[N, 3, H, W]</c> in [-1, 1].</summary>
    /// <returns>Masks <c>[N, Labels.Count, H, W]</c>, float32 in [0, 1] (1 where the label is present), at the input's
    /// resolution, on the input's device.</returns>
    Tensor Segment(Tensor images);
}
