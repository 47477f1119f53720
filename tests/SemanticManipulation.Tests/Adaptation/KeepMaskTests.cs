using SemanticManipulation.Adaptation;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace SemanticManipulation.Tests.Adaptation;

public sealed class KeepMaskTests
{
    [Fact]
    public void Dilation_grows_a_pixel_into_a_square_of_side_two_d_plus_one()
    {
        using var scope = NewDisposeScope();
        var mask = zeros(1, 1, 16, 16);
        mask[0, 0, 8, 8] = 1;

        var grown = KeepMask.Dilate(mask, 2);

        Assert.Equal(25f, grown.sum().item<float>());
        Assert.Equal(1f, grown[0, 0, 6, 10].item<float>());
        Assert.Equal(0f, grown[0, 0, 5, 8].item<float>());
    }

    [Fact]
    public void Blur_preserves_mass_and_spreads_symmetrically()
    {
        using var scope = NewDisposeScope();
        var mask = zeros(1, 1, 32, 32);
        mask[0, 0, 16, 16] = 1;

        var soft = KeepMask.Blur(mask, 1.5);

        Assert.Equal(1f, soft.sum().item<float>(), 4);
        Assert.Equal(soft[0, 0, 14, 16].item<float>(), soft[0, 0, 18, 16].item<float>(), 6);
        Assert.Equal(soft[0, 0, 16, 14].item<float>(), soft[0, 0, 14, 16].item<float>(), 6);
    }

    [Fact]
    public void Keep_is_one_far_from_the_edit_zero_inside_and_the_defaults_scale_with_resolution()
    {
        using var scope = NewDisposeScope();
        var mask = zeros(1, 1, 64, 64);
        mask[0, 0, TensorIndex.Slice(24, 40), TensorIndex.Slice(24, 40)] = 1;
        var options = new AdaptationOptions();

        var keep = KeepMask.Compute(mask, 64, options.DilationAt(64), options.BlurSigmaAt(64), CPU);

        Assert.Equal(4.0, options.DilationAt(64));
        Assert.Equal(1.0, options.BlurSigmaAt(64));
        Assert.Equal(16.0, options.DilationAt(256));
        Assert.Equal(0f, keep[0, 0, 32, 32].item<float>(), 6);
        Assert.True(keep[0, 0, 24 - 3, 32].item<float>() < 0.1f);   // inside the 4 px dilation
        Assert.True(keep[0, 0, 24 - 8, 32].item<float>() > 0.95f);  // past dilation + 3σ
        Assert.Equal(1f, keep[0, 0, 2, 2].item<float>(), 6);
        Assert.Equal(1f, KeepMask.Compute(null, 64, 4, 1, CPU).mean().item<float>());
    }
}
