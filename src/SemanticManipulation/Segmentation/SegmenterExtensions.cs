using TorchSharp;
using static TorchSharp.torch;

namespace SemanticManipulation.Segmentation;

/// <summary>Measures on an <see cref="ISegmenter"/>'s output that judging an edit needs.</summary>
public static class SegmenterExtensions
{
    /// <summary>
    /// The share of <paramref name="label"/> inside <paramref name="mask"/>: the segmenter's label mask weighted by the
    /// edit mask, over the mask's total weight. How the CLI's <c>edit</c> metrics and the default model's edit evaluation
    /// both judge whether an edit added or removed a concept.
    /// </summary>
    /// <param name="segmenter">The judge.</param>
    /// <param name="image">One image, <c>[1, 3, H, W]</c>, nominally in [-1, 1] (clamped, as a renderer may overshoot).</param>
    /// <param name="label">The label's index in <see cref="ISegmenter.Labels"/>.</param>
    /// <param name="mask">The region, <c>[1, 1, H, W]</c> in [0, 1].</param>
    /// <returns>The share in [0, 1]; 0 for an empty mask.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="label"/> is not one of the segmenter's.</exception>
    public static double ShareInMask(this ISegmenter segmenter, Tensor image, int label, Tensor mask)
    {
        ArgumentNullException.ThrowIfNull(segmenter);
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(mask);
        ArgumentOutOfRangeException.ThrowIfNegative(label);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(label, segmenter.Labels.Count);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        // Held: a temporary Scalar can be finalized while libtorch reads it (see HeldScalars).
        using Scalar low = -1, high = 1;
        var segmentation = segmenter.Segment(image.detach().clamp(low, high));
        var weights = mask.detach().to(ScalarType.Float32).to(segmentation.device);
        var inside = weights.sum().item<float>();
        return inside <= 0 ? 0 : (segmentation.narrow(1, label, 1) * weights).sum().item<float>() / inside;
    }
}
