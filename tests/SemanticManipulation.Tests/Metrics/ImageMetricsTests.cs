using SemanticManipulation.Metrics;
using SemanticManipulation.Tests.Inversion;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace SemanticManipulation.Tests.Metrics;

public sealed class ImageMetricsTests
{
    private static readonly double[] NoiseLevels = [0.02, 0.1, 0.3];

    [Fact]
    public void Ssim_is_one_for_identical_images_and_symmetric()
    {
        using var scope = NewDisposeScope();
        var (a, b) = (Image(1), Image(2));

        Assert.Equal(1.0, ImageMetrics.Ssim(a, a), 5);
        Assert.Equal(ImageMetrics.Ssim(a, b), ImageMetrics.Ssim(b, a), 6);
        Assert.True(ImageMetrics.Ssim(a, b) < 0.5);
    }

    [Fact]
    public void Ssim_of_two_flat_images_is_the_luminance_term()
    {
        using var scope = NewDisposeScope();
        // On the [0, 1] scale the images are 0.25 and 0.75: no variance, so SSIM = (2μaμb + C1) / (μa² + μb² + C1).
        var a = full(1, 3, 16, 16, -0.5f);
        var b = full(1, 3, 16, 16, 0.5f);
        const double C1 = 0.0001;
        var expected = ((2 * 0.25 * 0.75) + C1) / ((0.25 * 0.25) + (0.75 * 0.75) + C1);

        Assert.Equal(expected, ImageMetrics.Ssim(a, b), 5);
    }

    [Fact]
    public void Ssim_falls_as_noise_grows()
    {
        using var scope = NewDisposeScope();
        var clean = Image(3);
        var noise = randn(clean.shape, generator: new TorchSharp.torch.Generator(0, CPU).manual_seed(9));
        var values = NoiseLevels.Select(s => ImageMetrics.Ssim((clean + (noise * s)).clamp(-1, 1), clean)).ToArray();

        Assert.True(values[0] > values[1] && values[1] > values[2], string.Join(", ", values));
        Assert.True(values[0] > 0.9);
    }

    [Fact]
    public void Masked_psnr_and_ssim_measure_only_the_weighted_pixels()
    {
        using var scope = NewDisposeScope();
        var photo = Image(4);
        var damaged = photo.clone();
        damaged[TensorIndex.Colon, TensorIndex.Colon, TensorIndex.Slice(0, 12)] = -1;   // the top ruined
        var bottom = zeros(1, 1, 32, 32);
        bottom[TensorIndex.Colon, TensorIndex.Colon, TensorIndex.Slice(26, 32)] = 1;      // further than SSIM's window reaches

        Assert.True(double.IsPositiveInfinity(ImageMetrics.Psnr(damaged, photo, bottom)));
        Assert.Equal(1.0, ImageMetrics.Ssim(damaged, photo, bottom), 5);
        Assert.True(ImageMetrics.Psnr(damaged, photo) < 20);
        Assert.True(ImageMetrics.Ssim(damaged, photo) < 0.9);
    }

    [Fact]
    public void Ssim_works_on_images_smaller_than_its_window()
    {
        using var scope = NewDisposeScope();
        var a = Image(5)[.., .., ..6, ..6];
        Assert.Equal(1.0, ImageMetrics.Ssim(a, a.clone()), 5);
    }

    [Fact]
    public void Mismatched_shapes_and_empty_weights_are_refused()
    {
        using var scope = NewDisposeScope();
        Assert.Throws<ArgumentException>(() => ImageMetrics.Ssim(zeros(1, 3, 16, 16), zeros(1, 3, 8, 8)));
        Assert.Throws<ArgumentException>(() => ImageMetrics.Ssim(zeros(1, 3, 16, 16), zeros(1, 3, 16, 16), zeros(1, 1, 16, 16)));
        Assert.Throws<ArgumentException>(() => ImageMetrics.PerceptualDistance(SharedResNet18.FeatureLoss, zeros(1, 3, 16, 16), zeros(1, 3, 8, 8)));
    }

    [Fact]
    public void Perceptual_distance_is_zero_for_identical_images_and_grows_with_the_change()
    {
        using var scope = NewDisposeScope();
        var phi = SharedResNet18.FeatureLoss;
        var clean = Image(6, side: 64);
        var noise = randn(clean.shape, generator: new TorchSharp.torch.Generator(0, CPU).manual_seed(10));
        var small = ImageMetrics.PerceptualDistance(phi, (clean + (noise * 0.05)).clamp(-1, 1), clean);
        var large = ImageMetrics.PerceptualDistance(phi, (clean + (noise * 0.5)).clamp(-1, 1), clean);

        Assert.Equal(0.0, ImageMetrics.PerceptualDistance(phi, clean, clean.clone()), 6);
        Assert.True(small > 0 && large > small && large <= 4, $"{small} < {large}");
    }

    /// <summary>A smooth random image in [-1, 1] (blurred noise), different for every seed.</summary>
    private static Tensor Image(int seed, int side = 32)
    {
        var noise = rand(1, 3, side / 4, side / 4, generator: new TorchSharp.torch.Generator(0, CPU).manual_seed(seed)) * 2 - 1;
        return nn.functional.interpolate(noise, [side, side], mode: InterpolationMode.Bilinear, align_corners: false);
    }
}
