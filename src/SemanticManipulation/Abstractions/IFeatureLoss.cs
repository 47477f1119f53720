using static TorchSharp.torch;

namespace SemanticManipulation;

/// <summary>
/// The perceptual term φ of inversion's loss, <c>mean|φ(x) − φ(G(…))|</c>: features of a pretrained network, compared
/// between the photo and the reconstruction. The default is an ImageNet ResNet-18
/// (<see cref="FeatureLosses.ResNet18FeatureLoss"/>); inversion works pixel-only without one.
/// </summary>
/// <remarks>
/// Both methods must be differentiable with respect to their inputs: refinement back-propagates through them. The
/// network's own weights stay frozen. Keep calls on one thread (TorchSharp's dispose scopes are per thread).
/// </remarks>
public interface IFeatureLoss : IDisposable
{
    /// <summary>A short name of the features, for logs and metrics (e.g. <c>resnet18/layer2</c>).</summary>
    string Name { get; }

    /// <summary>Features φ of images <c>[N, 3, H, W]</c> in [-1, 1]: a tensor <c>[N, C, h, w]</c> on the input's device.</summary>
    Tensor Features(Tensor images);

    /// <summary>The loss between two images' features, a differentiable scalar. The default is the authors' mean
    /// absolute difference.</summary>
    /// <param name="actual">Features of the reconstruction.</param>
    /// <param name="expected">Features of the photo.</param>
    Tensor Distance(Tensor actual, Tensor expected)
    {
        ArgumentNullException.ThrowIfNull(actual);
        ArgumentNullException.ThrowIfNull(expected);
        return (actual - expected).abs().mean();
    }
}
