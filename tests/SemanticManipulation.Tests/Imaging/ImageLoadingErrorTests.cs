using SemanticManipulation.Imaging;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using Xunit;
using static SemanticManipulation.Tests.Imaging.ImagingTestData;

namespace SemanticManipulation.Tests.Imaging;

public class ImageLoadingErrorTests
{
    [Fact]
    public void Missing_file_names_the_path()
    {
        using var directory = Fixture.TempDirectory();
        var path = directory.File("nowhere.png");

        var ex = Assert.Throws<FileNotFoundException>(() => ImageTensor.Load(path, 64));

        Assert.Equal(path, ex.FileName);
        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
        Assert.Contains("does not exist", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_text_file_is_not_a_recognised_image_format()
    {
        using var directory = Fixture.TempDirectory();
        var path = directory.File("notes.png");
        File.WriteAllText(path, "these are not the pixels you are looking for");

        var ex = Assert.Throws<UnsupportedImageException>(() => ImageTensor.Load(path, 64));

        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
        Assert.Contains("not a recognised image format (supported: ", ex.Message, StringComparison.Ordinal);
        Assert.Contains("PNG", ex.Message, StringComparison.Ordinal);
        Assert.Contains("JPEG", ex.Message, StringComparison.Ordinal);
        Assert.Equal(path, ex.ImageSource);
    }

    [Fact]
    public void An_empty_file_is_not_a_recognised_image_format()
    {
        using var directory = Fixture.TempDirectory();
        var path = directory.File("empty.jpg");
        File.WriteAllBytes(path, []);

        var ex = Assert.Throws<UnsupportedImageException>(() => ImageTensor.Load(path, 64));

        Assert.Contains("not a recognised image format", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_truncated_image_is_refused_naming_the_file()
    {
        using var directory = Fixture.TempDirectory();
        using var image = Noise(64, 64);
        using var buffer = new MemoryStream();
        image.SaveAsPng(buffer);
        var path = directory.File("truncated.png");
        File.WriteAllBytes(path, buffer.ToArray()[..(int)(buffer.Length / 2)]);

        var ex = Assert.Throws<UnsupportedImageException>(() => ImageTensor.Load(path, 64));

        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
        Assert.Contains("is truncated", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(20000, 10, "20000×10", "16384 pixels per side")]
    [InlineData(12000, 12000, "12000×12000", "100000000 pixels")]
    public void An_absurdly_large_image_is_refused_before_decoding(int width, int height, string size, string limit)
    {
        using var directory = Fixture.TempDirectory();
        var path = directory.File("huge.png");
        File.WriteAllBytes(path, PngHeaderOnly(width, height));

        var ex = Assert.Throws<UnsupportedImageException>(() => ImageTensor.Load(path, 64));

        Assert.Contains("too large", ex.Message, StringComparison.Ordinal);
        Assert.Contains(size, ex.Message, StringComparison.Ordinal);
        Assert.Contains(limit, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_zero_size_image_is_refused()
    {
        using var directory = Fixture.TempDirectory();
        var path = directory.File("zero.png");
        File.WriteAllBytes(path, PngHeaderOnly(0, 10));

        var ex = Assert.Throws<UnsupportedImageException>(() => ImageTensor.Load(path, 64));

        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Exact_fit_of_a_wrong_size_names_both_sizes()
    {
        using var directory = Fixture.TempDirectory();
        using var image = new Image<Rgb24>(200, 100);
        var path = directory.File("wrong.png");
        image.SaveAsPng(path);

        var ex = Assert.Throws<UnsupportedImageException>(() => ImageTensor.Load(path, 64, ImageFitMode.Exact));

        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
        Assert.Contains("200×100", ex.Message, StringComparison.Ordinal);
        Assert.Contains("64×64", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Exact", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-3)]
    [InlineData(100_000)]
    public void A_resolution_that_is_not_a_positive_sane_size_is_refused(int resolution)
    {
        using var directory = Fixture.TempDirectory();
        using var image = new Image<Rgb24>(8, 8);
        var path = directory.File("fine.png");
        image.SaveAsPng(path);

        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => ImageTensor.Load(path, resolution));

        Assert.Equal("resolution", ex.ParamName);
        Assert.Contains("positive", ex.Message, StringComparison.Ordinal);
        Assert.Contains(resolution.ToString(System.Globalization.CultureInfo.InvariantCulture), ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Smaller_configured_limits_are_enforced()
    {
        using var image = new Image<Rgb24>(300, 20);
        using var buffer = new MemoryStream();
        image.SaveAsPng(buffer);
        buffer.Position = 0;

        var ex = Assert.Throws<UnsupportedImageException>(
            () => ImageTensor.Load(buffer, 64, new ImageLoadOptions { MaxSide = 256 }));

        Assert.Contains("stream", ex.Message, StringComparison.Ordinal);
        Assert.Contains("300×20", ex.Message, StringComparison.Ordinal);
        Assert.Contains("256 pixels per side", ex.Message, StringComparison.Ordinal);
    }
}
