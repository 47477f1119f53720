using TorchSharp;
using static TorchSharp.torch;

namespace SemanticManipulation.Adaptation;

/// <summary>
/// The pixels fitting must reproduce: <c>keep = 1 − blur_σ(dilate_d(edit))</c>. Growing the edited region and
/// softening its edge keeps the fit from pulling the edit's surroundings back to the photo.
/// </summary>
internal static class KeepMask
{
    /// <summary>Computes keep for a <c>[1, 1, R, R]</c> edit mask in [0, 1].</summary>
    /// <param name="editMask">The edit mask; null means nothing is edited (keep everything).</param>
    /// <param name="resolution">R.</param>
    /// <param name="dilation">Dilation radius d in pixels (a square structuring element of side 2d + 1).</param>
    /// <param name="sigma">Gaussian blur σ in pixels.</param>
    /// <param name="device">Where the result lives.</param>
    public static Tensor Compute(Tensor? editMask, int resolution, double dilation, double sigma, Device device)
    {
        if (editMask is null)
        {
            return ones([1, 1, resolution, resolution], device: device);
        }

        using var scope = NewDisposeScope();
        var grown = Dilate(editMask.to(ScalarType.Float32).to(device), (int)Math.Round(dilation));
        var soft = Blur(grown, sigma);
        return (1 - soft).clamp(0, 1).MoveToOuterDisposeScope();
    }

    /// <summary>Grows the mask by a max filter of radius <paramref name="radius"/>.</summary>
    public static Tensor Dilate(Tensor mask, int radius)
    {
        if (radius <= 0)
        {
            return mask.alias();
        }

        return nn.functional.max_pool2d(mask, kernel_size: (2 * radius) + 1, stride: 1, padding: radius);
    }

    /// <summary>Separable Gaussian blur with replicate padding (so the image border is not darkened).</summary>
    public static Tensor Blur(Tensor mask, double sigma)
    {
        if (sigma <= 0)
        {
            return mask.alias();
        }

        using var scope = NewDisposeScope();
        var radius = Math.Max(1, (int)Math.Ceiling(3 * sigma));
        var offsets = arange(-radius, radius + 1, dtype: ScalarType.Float32, device: mask.device);
        var kernel = (-(offsets * offsets) / (2 * sigma * sigma)).exp();
        kernel /= kernel.sum();
        var horizontal = kernel.view(1, 1, 1, -1);
        var vertical = kernel.view(1, 1, -1, 1);
        var x = nn.functional.pad(mask, [radius, radius, radius, radius], PaddingModes.Replicate);
        x = nn.functional.conv2d(x, horizontal);
        x = nn.functional.conv2d(x, vertical);
        return x.MoveToOuterDisposeScope();
    }
}
