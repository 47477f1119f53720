using SemanticManipulation.Adaptation;
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
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => Fit(new AdaptationTarget(_fixture.Photo, _fixture.Representation),
            new AdaptationOptions { Steps = steps }));

        Assert.Equal(nameof(AdaptationOptions.Steps), error.ParamName);
    }

    [Fact]
    public void A_mask_of_the_wrong_size_is_refused_with_both_shapes()
    {
        using var mask = zeros(1, 1, 64, 64);

        var error = Assert.Throws<ArgumentException>(() => Fit(new AdaptationTarget(_fixture.Photo, _fixture.Representation, mask)));

        Assert.Contains("[1, 1, 32, 32]", error.Message, StringComparison.Ordinal);
        Assert.Contains("[1, 1, 64, 64]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_mask_outside_zero_to_one_is_refused()
    {
        using var mask = full(1, 1, 32, 32, 255f);

        var error = Assert.Throws<ArgumentException>(() => Fit(new AdaptationTarget(_fixture.Photo, _fixture.Representation, mask)));

        Assert.Contains("[0, 1]", error.Message, StringComparison.Ordinal);
        Assert.Contains("255", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NaN_in_the_photo_is_refused()
    {
        using var photo = _fixture.Photo.clone();
        photo[0, 1, 5, 5] = float.NaN;

        var error = Assert.Throws<ArgumentException>(() => Fit(new AdaptationTarget(photo, _fixture.Representation)));

        Assert.Contains("photo", error.Message, StringComparison.Ordinal);
        Assert.Contains("1 NaN", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_photo_of_the_wrong_size_is_refused()
    {
        using var photo = zeros(1, 3, 64, 64);

        var error = Assert.Throws<ArgumentException>(() => Fit(new AdaptationTarget(photo, _fixture.Representation)));

        Assert.Contains("[1, 3, 32, 32]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_perturbation_kind_lists_the_known_ones()
    {
        var error = Assert.Throws<ArgumentException>(() => Fit(new AdaptationTarget(_fixture.Photo, _fixture.Representation),
            new AdaptationOptions { Kind = "magic" }));

        Assert.Contains("'magic'", error.Message, StringComparison.Ordinal);
        Assert.Contains("'network'", error.Message, StringComparison.Ordinal);
        Assert.Contains("'free'", error.Message, StringComparison.Ordinal);
    }

    private void Fit(AdaptationTarget target, AdaptationOptions? options = null) =>
        new GeneratorAdapter().Fit(_fixture.Generator, target, options ?? new AdaptationOptions { Steps = 2 }).Dispose();
}
