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
}
