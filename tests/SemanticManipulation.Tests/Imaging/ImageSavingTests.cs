using SemanticManipulation.Imaging;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats;
using SixLabors.ImageSharp.Formats.Bmp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;
using Xunit;
using static SemanticManipulation.Tests.Imaging.ImagingTestData;

namespace SemanticManipulation.Tests.Imaging;

public class ImageSavingTests
{
    [Theory]
    [InlineData("result.png", typeof(PngFormat))]
    [InlineData("result.jpg", typeof(JpegFormat))]
    [InlineData("result.JPEG", typeof(JpegFormat))]
    [InlineData("result.bmp", typeof(BmpFormat))]
    public void Save_writes_the_format_the_extension_names_and_leaves_no_temporary_file(string name, Type format)
    {
        using var directory = Fixture.TempDirectory();
        using var image = Noise(16, 8);
        using var tensor = ImageTensor.FromImage(image);
        var path = directory.File(name);

        ImageTensor.Save(tensor, path);

        Assert.IsType(format, Image.DetectFormat(path));
        Assert.Equal([name], Directory.GetFiles(directory.Path).Select(Path.GetFileName));
        if (format == typeof(PngFormat) || format == typeof(BmpFormat))
        {
            using var back = Image.Load<Rgb24>(path);
            AssertSamePixels(image, back);
        }
    }

    [Fact]
    public void Save_replaces_an_existing_file()
    {
        using var directory = Fixture.TempDirectory();
        var path = directory.File("result.png");
        File.WriteAllText(path, "old");
        using var image = Noise(4, 4);
        using var tensor = ImageTensor.FromImage(image);

        ImageTensor.Save(tensor, path);

        using var back = Image.Load<Rgb24>(path);
        AssertSamePixels(image, back);
    }

    [Fact]
    public void Save_into_a_missing_directory_fails_clearly_and_writes_nothing()
    {
        using var directory = Fixture.TempDirectory();
        var missing = Path.Combine(directory.Path, "not-there");
        var path = Path.Combine(missing, "result.png");
        using var tensor = BlackImageTensor();

        var ex = Assert.Throws<DirectoryNotFoundException>(() => ImageTensor.Save(tensor, path));

        Assert.Contains(missing, ex.Message, StringComparison.Ordinal);
        Assert.Contains("does not exist", ex.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(missing));
        Assert.Empty(Directory.GetFileSystemEntries(directory.Path));
    }

    [Fact]
    public void Save_with_an_unknown_extension_names_it()
    {
        using var directory = Fixture.TempDirectory();
        using var tensor = BlackImageTensor();

        var ex = Assert.Throws<ArgumentException>(() => ImageTensor.Save(tensor, directory.File("result.xyz")));

        Assert.Contains(".xyz", ex.Message, StringComparison.Ordinal);
        Assert.Contains(".png", ex.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(directory.Path));
    }

    [Fact]
    public void A_failure_while_encoding_keeps_the_old_file_and_removes_the_partial_one()
    {
        using var directory = Fixture.TempDirectory();
        var path = directory.File("result.png");
        File.WriteAllText(path, "previous result");
        using var tensor = BlackImageTensor();

        Assert.Throws<IOException>(() => ImageTensor.Save(tensor, path, new FailingEncoder(null)));

        Assert.Equal("previous result", File.ReadAllText(path));
        Assert.Equal(["result.png"], Directory.GetFiles(directory.Path).Select(Path.GetFileName));
    }

    [Fact]
    public async Task Cancelling_a_save_keeps_the_old_file_and_removes_the_partial_one()
    {
        using var directory = Fixture.TempDirectory();
        var path = directory.File("result.png");
        var newPath = directory.File("new.png");
        File.WriteAllText(path, "previous result");
        using var tensor = BlackImageTensor();
        using var cancellation = new CancellationTokenSource();
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => ImageTensor.SaveAsync(tensor, path, new FailingEncoder(cancellation), cancellation.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => ImageTensor.SaveAsync(tensor, newPath, cancelled.Token));

        Assert.Equal("previous result", File.ReadAllText(path));
        Assert.Equal(["result.png"], Directory.GetFiles(directory.Path).Select(Path.GetFileName));
    }

    [Fact]
    public async Task SaveAsync_writes_the_image()
    {
        using var directory = Fixture.TempDirectory();
        using var image = Noise(8, 8);
        using var tensor = ImageTensor.FromImage(image);
        var path = directory.File("result.png");

        await ImageTensor.SaveAsync(tensor, path);

        using var back = Image.Load<Rgb24>(path);
        AssertSamePixels(image, back);
        Assert.Single(Directory.GetFiles(directory.Path));
    }

    private static TorchSharp.torch.Tensor BlackImageTensor() => TorchSharp.torch.zeros([1, 3, 8, 8]);

    /// <summary>Writes half a PNG, then fails (or, given a source, cancels), as a full disk or a shutdown would.</summary>
    private sealed class FailingEncoder(CancellationTokenSource? cancel) : IImageEncoder
    {
        public void Encode<TPixel>(Image<TPixel> image, Stream stream)
            where TPixel : unmanaged, IPixel<TPixel>
        {
            WritePartial(image, stream);
            throw new IOException("Disk full.");
        }

        public async Task EncodeAsync<TPixel>(Image<TPixel> image, Stream stream, CancellationToken cancellationToken)
            where TPixel : unmanaged, IPixel<TPixel>
        {
            WritePartial(image, stream);
            await stream.FlushAsync(cancellationToken);
            if (cancel is not null)
            {
                await cancel.CancelAsync();
            }

            cancellationToken.ThrowIfCancellationRequested();
            throw new IOException("Disk full.");
        }

        private static void WritePartial<TPixel>(Image<TPixel> image, Stream stream)
            where TPixel : unmanaged, IPixel<TPixel>
        {
            using var buffer = new MemoryStream();
            image.SaveAsPng(buffer);
            stream.Write(buffer.ToArray().AsSpan(0, (int)buffer.Length / 2));
        }
    }
}
