using SemanticManipulation.Imaging;
using Xunit;
using static TorchSharp.torch;

namespace SemanticManipulation.Tests.Imaging;

public sealed class ModelPhotoTests
{
    [Fact]
    public void A_photo_is_checked_once_and_copied_so_later_changes_to_the_source_do_not_reach_it()
    {
        using var source = full(1, 3, 8, 8, 0.5f);
        using var photo = ModelPhoto.From(source, 8);
        source.fill_(float.NaN);

        Assert.Equal(8, photo.Resolution);
        Assert.Equal(ScalarType.Float32, photo.Tensor.dtype);
        Assert.True(photo.Tensor.eq(0.5f).all().item<bool>());
    }

    [Fact]
    public void A_rounding_overshoot_is_clamped_into_range()
    {
        using var source = full(1, 3, 4, 4, 1.0005, dtype: ScalarType.Float64);
        using var photo = ModelPhoto.From(source, 4);

        Assert.Equal(1f, photo.Tensor.max().item<float>());
    }

    [Fact]
    public void NaN_is_refused_with_its_count()
    {
        using var source = zeros(1, 3, 8, 8);
        source[0, 1, 5, 5] = float.NaN;

        var error = Assert.Throws<ArgumentException>(() => ModelPhoto.From(source, 8));

        Assert.Contains("1 NaN", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Values_on_the_byte_scale_are_refused_saying_how_to_map_them()
    {
        using var source = full(1, 3, 8, 8, 200f);

        var error = Assert.Throws<ArgumentException>(() => ModelPhoto.From(source, 8));

        Assert.Contains("[-1, 1]", error.Message, StringComparison.Ordinal);
        Assert.Contains("127.5", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_photo_of_another_size_is_refused_with_both_shapes_and_how_to_load_it()
    {
        using var source = zeros(1, 3, 64, 64);

        var error = Assert.Throws<ArgumentException>(() => ModelPhoto.From(source, 32));

        Assert.Contains("[1, 3, 32, 32]", error.Message, StringComparison.Ordinal);
        Assert.Contains("[1, 3, 64, 64]", error.Message, StringComparison.Ordinal);
        Assert.Contains("ImageTensor.Load(path, 32)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Integer_pixels_are_refused()
    {
        using var source = zeros(1, 3, 8, 8, dtype: ScalarType.Byte);

        Assert.Throws<ArgumentException>(() => ModelPhoto.From(source, 8));
    }

    [Fact]
    public void A_loaded_image_carries_its_photo_at_the_requested_resolution()
    {
        using var loaded = ImageTensor.Load(Path.Combine(AppContext.BaseDirectory, "SamplePhotos", "church.jpg"), 32);

        Assert.Equal(32, loaded.Photo.Resolution);
        Assert.Same(loaded.Photo.Tensor, loaded.Tensor);
    }
}
