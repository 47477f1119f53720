using static TorchSharp.torch;

namespace SemanticManipulation.Metrics;

/// <summary>
/// Image-quality measures on <c>[N, 3, H, W]</c> tensors in [-1, 1]. Values are clamped to [-1, 1] first, so the
/// measures describe the images as they are displayed and saved (a generator may overshoot the range).
/// </summary>
public static class ImageMetrics
{
    /// <summary>Peak signal-to-noise ratio in dB over all pixels, with the peak of images in [0, 1].</summary>
    public static double Psnr(Tensor actual, Tensor expected) => Psnr(actual, expected, weights: null);

    /// <summary>
    /// Peak signal-to-noise ratio in dB, each pixel weighted by <paramref name="weights"/> (<c>[N or 1, 1, H, W]</c> in
    /// [0, 1], e.g. the kept pixels). Images in [-1, 1] are compared on the [0, 1] scale, so 1 level of 255 ≈ 48 dB.
    /// </summary>
    /// <returns>The PSNR; <see cref="double.PositiveInfinity"/> for identical images.</returns>
    public static double Psnr(Tensor actual, Tensor expected, Tensor? weights)
    {
        ArgumentNullException.ThrowIfNull(actual);
        ArgumentNullException.ThrowIfNull(expected);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var squared = ((actual.detach().clamp(-1, 1) - expected.detach().clamp(-1, 1)) / 2).square();
        double mse;
        if (weights is null)
        {
            mse = squared.mean().item<float>();
        }
        else
        {
            var w = weights.detach().expand_as(squared);
            var total = w.sum().item<float>();
            if (total <= 0)
            {
                throw new ArgumentException("The PSNR weights are zero everywhere: no pixel to measure.", nameof(weights));
            }

            mse = (squared * w).sum().item<float>() / total;
        }

        return mse <= 0 ? double.PositiveInfinity : 10 * Math.Log10(1 / mse);
    }

    /// <summary>
    /// Structural similarity (Wang et al. 2004) on the [0, 1] scale: an 11×11 Gaussian window with σ = 1.5 (smaller, and
    /// σ scaled with it, for images under 11 pixels), C1 = 0.01², C2 = 0.03², over valid windows, averaged over channels,
    /// windows and images; each window weighted by the window-averaged <paramref name="weights"/> when given.
    /// </summary>
    /// <param name="actual">Images <c>[N, 3, H, W]</c> in [-1, 1].</param>
    /// <param name="expected">Images of the same shape.</param>
    /// <param name="weights">Optional per-pixel weights <c>[N or 1, 1, H, W]</c> in [0, 1] (e.g. the kept pixels).</param>
    /// <returns>SSIM in [-1, 1]; 1 for identical images.</returns>
    public static double Ssim(Tensor actual, Tensor expected, Tensor? weights = null)
    {
        ArgumentNullException.ThrowIfNull(actual);
        ArgumentNullException.ThrowIfNull(expected);
        RequireSameImageShape(actual, expected);
        const double C1 = 0.01 * 0.01;
        const double C2 = 0.03 * 0.03;
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        // Float64: the variances are differences of nearly equal moments, which float32 rounds visibly on flat regions.
        var a = (actual.detach().to(ScalarType.Float64).clamp(-1, 1) + 1) / 2;
        var b = (expected.detach().to(ScalarType.Float64).to(a.device).clamp(-1, 1) + 1) / 2;
        var channels = a.shape[1];
        var window = GaussianWindow(Math.Min(a.shape[2], a.shape[3]), a.device);
        var perChannel = window.expand(channels, 1, window.shape[2], window.shape[3]);
        Tensor Blur(Tensor x) => nn.functional.conv2d(x, perChannel, groups: channels);

        var muA = Blur(a);
        var muB = Blur(b);
        var varA = Blur(a * a) - (muA * muA);
        var varB = Blur(b * b) - (muB * muB);
        var covariance = Blur(a * b) - (muA * muB);
        var map = ((2 * muA * muB) + C1) * ((2 * covariance) + C2) / (((muA * muA) + (muB * muB) + C1) * (varA + varB + C2));
        if (weights is null)
        {
            return map.mean().item<double>();
        }

        var w = nn.functional.conv2d(weights.detach().to(ScalarType.Float64).to(a.device).expand(a.shape[0], 1, a.shape[2], a.shape[3]), window)
            .expand_as(map);
        var total = w.sum().item<double>();
        if (total <= 0)
        {
            throw new ArgumentException("The SSIM weights are zero everywhere: no window to measure.", nameof(weights));
        }

        return (map * w).sum().item<double>() / total;
    }

    /// <summary>
    /// A perceptual distance on <paramref name="features"/>' φ, in the manner of LPIPS without learned weights: each
    /// position's feature vector is scaled to unit length, then the squared difference is summed over channels and
    /// averaged over positions and images. 0 for identical images; at most 4.
    /// </summary>
    /// <param name="features">The feature network (the same φ inversion's loss uses).</param>
    /// <param name="actual">Images <c>[N, 3, H, W]</c> in [-1, 1].</param>
    /// <param name="expected">Images of the same shape.</param>
    public static double PerceptualDistance(IFeatureLoss features, Tensor actual, Tensor expected)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(actual);
        ArgumentNullException.ThrowIfNull(expected);
        RequireSameImageShape(actual, expected);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var fa = UnitLength(features.Features(actual.detach().clamp(-1, 1)));
        var fb = UnitLength(features.Features(expected.detach().clamp(-1, 1)));
        return (fa - fb).square().sum([1]).mean().item<float>();
    }

    private static Tensor UnitLength(Tensor features) =>
        features / (features.square().sum([1], keepdim: true).sqrt() + 1e-10);

    /// <summary>A normalised float64 2-D Gaussian <c>[1, 1, k, k]</c>: k = 11, σ = 1.5, or smaller for small images.
    /// Float64 so that its weights sum to 1 closely enough for flat regions' (co)variances to vanish.</summary>
    private static Tensor GaussianWindow(long side, Device device)
    {
        var size = (int)Math.Min(11, side % 2 == 1 ? side : side - 1);
        size = Math.Max(size, 1);
        var sigma = 1.5 * size / 11;
        var g = new double[size];
        for (var i = 0; i < size; i++)
        {
            var d = i - ((size - 1) / 2.0);
            g[i] = Math.Exp(-(d * d) / (2 * sigma * sigma));
        }

        var line = tensor(g, device: device);
        line /= line.sum();
        return outer(line, line).reshape(1, 1, size, size);
    }

    private static void RequireSameImageShape(Tensor actual, Tensor expected)
    {
        if (actual.dim() != 4 || !actual.shape.SequenceEqual(expected.shape))
        {
            throw new ArgumentException(
                $"Both images must have the same shape [N, C, H, W]; got [{string.Join(", ", actual.shape)}] and [{string.Join(", ", expected.shape)}].");
        }
    }
}
