using SemanticManipulation.Adaptation;
using SemanticManipulation.Editing;
using SemanticManipulation.Imaging;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace SemanticManipulation.Tests.Adaptation;

public sealed class AdaptationInputTests : IDisposable
{
    private readonly AdaptationFixture _fixture = new();

    public void Dispose() => _fixture.Dispose();

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    public void Non_positive_steps_are_refused(int steps)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => Fit(new AdaptationTarget(_fixture.ModelPhoto, _fixture.Representation),
            new AdaptationOptions { Steps = steps }));

        Assert.Equal(nameof(AdaptationOptions.Steps), error.ParamName);
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(0)]
    [InlineData(-30)]
    [InlineData(double.PositiveInfinity)]
    public void A_target_psnr_that_is_not_a_positive_number_is_refused_before_fitting(double target)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => Fit(new AdaptationTarget(_fixture.ModelPhoto, _fixture.Representation),
            new AdaptationOptions { TargetKeptPsnrDb = target }));

        Assert.Equal(nameof(AdaptationOptions.TargetKeptPsnrDb), error.ParamName);
    }

    [Fact]
    public void An_undefined_perturbation_mode_is_refused_before_fitting()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => Fit(new AdaptationTarget(_fixture.ModelPhoto, _fixture.Representation),
            new AdaptationOptions { Mode = (PerturbationMode)7 }));

        Assert.Equal(nameof(AdaptationOptions.Mode), error.ParamName);
    }

    [Fact]
    public void An_edit_region_made_for_another_resolution_is_refused_with_both_sizes()
    {
        var values = new float[64 * 64];
        values[100] = 1;
        var region = StrokeMask.FromValues(64, values);

        var error = Assert.Throws<ArgumentException>(() => Fit(new AdaptationTarget(_fixture.ModelPhoto, _fixture.Representation, region)));

        Assert.Contains("64×64", error.Message, StringComparison.Ordinal);
        Assert.Contains("32×32", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_photo_made_for_another_resolution_is_refused_saying_how_to_load_it()
    {
        using var photo = ModelPhoto.From(zeros(1, 3, 64, 64), 64);

        var error = Assert.Throws<ArgumentException>(() => Fit(new AdaptationTarget(photo, _fixture.Representation)));

        Assert.Contains("64×64", error.Message, StringComparison.Ordinal);
        Assert.Contains("ImageTensor.Load(path, 32)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_edit_that_leaves_no_pixel_to_fit_is_refused_before_the_first_step_saying_why()
    {
        using var everything = ones(1, 1, 32, 32);

        var error = Assert.Throws<ArgumentException>(() => Fit(
            new AdaptationTarget(_fixture.ModelPhoto, _fixture.Representation, StrokeMask.FromTensor(everything, 32))));
        var unblurred = Assert.Throws<ArgumentException>(() => Fit(
            new AdaptationTarget(_fixture.ModelPhoto, _fixture.Representation, StrokeMask.FromTensor(everything, 32)),
            new AdaptationOptions { Steps = 2, BlurSigmaPixels = 0 }));

        Assert.StartsWith("The edit, grown by the fitting margin (2 px), covers the whole image: no pixel is left to fit G' to.", error.Message, StringComparison.Ordinal);
        Assert.Equal(error.Message, unblurred.Message);
    }

    [Fact]
    public void An_unknown_perturbation_kind_lists_the_known_ones()
    {
        var error = Assert.Throws<ArgumentException>(() => Fit(new AdaptationTarget(_fixture.ModelPhoto, _fixture.Representation),
            new AdaptationOptions { Kind = "magic" }));

        Assert.Contains("'magic'", error.Message, StringComparison.Ordinal);
        Assert.Contains("'network'", error.Message, StringComparison.Ordinal);
        Assert.Contains("'free'", error.Message, StringComparison.Ordinal);
    }

    private void Fit(AdaptationTarget target, AdaptationOptions? options = null) =>
        new GeneratorAdapter().Fit(_fixture.Generator, target, options ?? new AdaptationOptions { Steps = 2 }).Dispose();
}
