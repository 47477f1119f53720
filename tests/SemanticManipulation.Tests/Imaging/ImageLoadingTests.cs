using SemanticManipulation.Imaging;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats;
using SixLabors.ImageSharp.Formats.Bmp;
using SixLabors.ImageSharp.Formats.Gif;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Pbm;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Formats.Tga;
using SixLabors.ImageSharp.Formats.Tiff;
using SixLabors.ImageSharp.Formats.Webp;
using SixLabors.ImageSharp.Metadata.Profiles.Exif;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;
using SixLabors.ImageSharp.Processing.Processors.Quantization;
using TorchSharp;
using Xunit;
using static SemanticManipulation.Tests.Imaging.ImagingTestData;

namespace SemanticManipulation.Tests.Imaging;

public class ImageLoadingTests
{
    private static readonly Rgb24 Red = new(255, 0, 0);
    private static readonly Rgb24 Green = new(0, 255, 0);
    private static readonly Rgb24 Blue = new(0, 0, 255);

    public static TheoryData<string> LosslessFormats => new() { "png", "bmp", "tga", "tiff", "webp", "pbm" };

    [Theory]
    [MemberData(nameof(LosslessFormats))]
    public void Load_decodes_lossless_formats_exactly(string format)
    {
        using var directory = Fixture.TempDirectory();
        using var image = Noise(16, 16);
        var path = directory.File("photo." + format);
        image.Save(path, LosslessEncoder(format));

        using var loaded = ImageTensor.Load(path, 16, ImageFitMode.Exact);
        using var back = ImageTensor.ToImage(loaded.Tensor);

        AssertSamePixels(image, back);
        Assert.Equal([1L, 3, 16, 16], loaded.Tensor.shape);
    }

    [Fact]
    public void Load_decodes_JPEG_close_to_the_original()
    {
        using var directory = Fixture.TempDirectory();
        using var image = Create(16, 16, (x, _) => x < 8 ? Red : Blue);
        var path = directory.File("photo.jpg");
        image.SaveAsJpeg(path, new JpegEncoder { Quality = 100 });

        using var loaded = ImageTensor.Load(path, 16, ImageFitMode.Exact);
        var values = Values(loaded.Tensor);

        var (r, g, b) = Pixel(values, 16, 3, 8);
        Assert.InRange(ToByteScale(r), 240, 255);
        Assert.InRange(ToByteScale(g), 0, 15);
        Assert.InRange(ToByteScale(b), 0, 15);
    }

    [Fact]
    public void Load_converts_8_bit_grayscale_to_equal_channels()
    {
        using var directory = Fixture.TempDirectory();
        using var gray = Create(8, 8, (x, y) => new L8((byte)((x * 30) + y)));
        var path = directory.File("gray.png");
        gray.SaveAsPng(path, new PngEncoder { ColorType = PngColorType.Grayscale, BitDepth = PngBitDepth.Bit8 });

        using var loaded = ImageTensor.Load(path, 8, ImageFitMode.Exact);
        using var back = ImageTensor.ToImage(loaded.Tensor);

        for (var y = 0; y < 8; y++)
        {
            for (var x = 0; x < 8; x++)
            {
                var v = (byte)((x * 30) + y);
                Assert.Equal(new Rgb24(v, v, v), back[x, y]);
            }
        }
    }

    [Fact]
    public void Load_reduces_16_bit_PNGs_to_the_matching_8_bit_values()
    {
        using var directory = Fixture.TempDirectory();
        using var deep = Create(8, 4, (x, y) => new Rgb48((ushort)(x * 30 * 257), (ushort)(y * 60 * 257), 65535));
        var path = directory.File("deep.png");
        deep.SaveAsPng(path, new PngEncoder { ColorType = PngColorType.Rgb, BitDepth = PngBitDepth.Bit16 });

        using var photo = ImageTensor.Decode(path, new ImageLoadOptions());

        Assert.Equal(new Rgb24(7 * 30, 3 * 60, 255), photo[7, 3]);
        Assert.Equal(new Rgb24(0, 0, 255), photo[0, 0]);
    }

    [Fact]
    public void Load_composites_transparency_over_the_background()
    {
        using var directory = Fixture.TempDirectory();
        using var rgba = Create(3, 1, (x, _) => x switch
        {
            0 => new Rgba32(255, 0, 0, 0),
            1 => new Rgba32(255, 0, 0, 128),
            _ => new Rgba32(0, 0, 255, 255),
        });
        var path = directory.File("layer.png");
        rgba.SaveAsPng(path);

        using var onWhite = ImageTensor.Decode(path, new ImageLoadOptions());
        using var onBlack = ImageTensor.Decode(path, new ImageLoadOptions { Background = Color.Black });

        Assert.Equal(new Rgb24(255, 255, 255), onWhite[0, 0]);
        Assert.Equal(new Rgb24(255, 127, 127), onWhite[1, 0]); // (0·128 + 255·127) / 255 = 127.0
        Assert.Equal(Blue, onWhite[2, 0]);
        Assert.Equal(new Rgb24(0, 0, 0), onBlack[0, 0]);
        Assert.Equal(new Rgb24(128, 0, 0), onBlack[1, 0]);
        Assert.Equal(Blue, onBlack[2, 0]);
    }

    [Fact]
    public void Load_reads_the_first_frame_of_a_palette_GIF()
    {
        using var directory = Fixture.TempDirectory();
        Color[] palette = [Color.Red, Color.Lime, Color.Blue, Color.White];
        using var first = Create(8, 8, (x, y) => ((x + y) % 3) switch { 0 => Red, 1 => Green, _ => Blue });
        using var second = Create(8, 8, (_, _) => new Rgb24(255, 255, 255));
        first.Frames.AddFrame(second.Frames.RootFrame);
        var path = directory.File("animation.gif");
        first.SaveAsGif(path, new GifEncoder { Quantizer = new PaletteQuantizer(palette, new QuantizerOptions { Dither = null }) });

        using var loaded = ImageTensor.Load(path, 8, ImageFitMode.Exact);
        using var back = ImageTensor.ToImage(loaded.Tensor);

        first.Frames.RemoveFrame(1);
        AssertSamePixels(first, back);
    }

    [Theory]
    [InlineData("png")]
    [InlineData("jpg")]
    public void Load_applies_EXIF_orientation_6_by_rotating_clockwise(string format)
    {
        // Stored 40×20 with a red block in the top-left corner; orientation 6 means "rotate 90° clockwise to view", so
        // the upright image is 20×40 with the block in the top-right corner.
        using var directory = Fixture.TempDirectory();
        using var stored = Create(40, 20, (x, y) => x < 8 && y < 8 ? Red : Blue);
        stored.Metadata.ExifProfile = new ExifProfile();
        stored.Metadata.ExifProfile.SetValue(ExifTag.Orientation, (ushort)6);
        var path = directory.File("rotated." + format);
        stored.Save(path, format == "png" ? new PngEncoder() : new JpegEncoder { Quality = 100 });

        using var upright = ImageTensor.Decode(path, new ImageLoadOptions());
        using var padded = ImageTensor.Load(path, 40, ImageFitMode.Pad);
        var values = Values(padded.Tensor);

        Assert.Equal(new Size(20, 40), upright.Size());
        AssertClose(Red, upright[16, 3]);
        AssertClose(Blue, upright[3, 3]);
        AssertClose(Blue, upright[16, 30]);

        Assert.Equal(new Size(20, 40), padded.Fit.OriginalSize);
        Assert.Equal(new Rectangle(10, 0, 20, 40), padded.Fit.Placement);
        AssertClose(Red, values, 40, 10 + 16, 3);
        AssertClose(Blue, values, 40, 10 + 3, 3);
        AssertClose(new Rgb24(255, 255, 255), values, 40, 3, 20); // letterbox
    }

    [Fact]
    public void CenterCrop_of_a_2_to_1_photo_keeps_the_middle_half()
    {
        using var directory = Fixture.TempDirectory();
        using var photo = Create(200, 100, (x, _) => x < 50 ? Red : x < 150 ? Green : Blue);
        var path = directory.File("wide.png");
        photo.SaveAsPng(path);

        using var loaded = ImageTensor.Load(path, 50);
        var values = Values(loaded.Tensor);

        Assert.Equal(ImageFitMode.CenterCrop, loaded.Fit.Mode);
        Assert.Equal(new Size(200, 100), loaded.Fit.OriginalSize);
        Assert.Equal(new Rectangle(-25, 0, 100, 50), loaded.Fit.Placement);
        Assert.Equal(new Rectangle(0, 0, 50, 50), loaded.Fit.ContentRectangle);
        Assert.Equal(new RectangleF(50, 0, 100, 100), loaded.Fit.SourceRectangle);
        for (var x = 4; x < 46; x++)
        {
            AssertClose(Green, values, 50, x, 25);
        }

        // The canvas is the same as scaling the whole photo and then cropping, only cheaper.
        using var expected = photo.Clone(c => c.Resize(100, 50, KnownResamplers.Bicubic).Crop(new Rectangle(25, 0, 50, 50)));
        using var actual = ImageTensor.ToImage(loaded.Tensor);
        for (var y = 0; y < 50; y++)
        {
            for (var x = 0; x < 50; x++)
            {
                AssertClose(expected[x, y], actual[x, y], tolerance: 1);
            }
        }
    }

    [Fact]
    public void Pad_letterboxes_and_Stretch_fills_the_canvas()
    {
        using var directory = Fixture.TempDirectory();
        using var photo = Create(200, 100, (_, _) => Green);
        var path = directory.File("wide.png");
        photo.SaveAsPng(path);

        using var padded = ImageTensor.Load(path, 50, new ImageLoadOptions { FitMode = ImageFitMode.Pad, Background = Color.Black });
        using var stretched = ImageTensor.Load(path, 50, ImageFitMode.Stretch);
        var pad = Values(padded.Tensor);
        var stretch = Values(stretched.Tensor);

        Assert.Equal(new Rectangle(0, 12, 50, 25), padded.Fit.Placement);
        AssertClose(new Rgb24(0, 0, 0), pad, 50, 25, 5);
        AssertClose(Green, pad, 50, 25, 25);
        AssertClose(new Rgb24(0, 0, 0), pad, 50, 25, 40);
        Assert.Equal(new Rectangle(0, 0, 50, 50), stretched.Fit.Placement);
        AssertClose(Green, stretch, 50, 0, 0);
        AssertClose(Green, stretch, 50, 49, 49);
    }

    [Theory]
    [InlineData(200, 100, 50, ImageFitMode.CenterCrop, -25, 0, 100, 50)]
    [InlineData(100, 200, 50, ImageFitMode.CenterCrop, 0, -25, 50, 100)]
    [InlineData(301, 100, 64, ImageFitMode.CenterCrop, -64, 0, 192, 64)] // torchvision: int(64·301/100) = 192
    [InlineData(255, 100, 64, ImageFitMode.CenterCrop, -50, 0, 163, 64)] // round(49.5) = 50, half to even
    [InlineData(200, 100, 50, ImageFitMode.Pad, 0, 12, 50, 25)]
    [InlineData(100, 300, 60, ImageFitMode.Pad, 20, 0, 20, 60)]
    [InlineData(100, 300, 60, ImageFitMode.Stretch, 0, 0, 60, 60)]
    [InlineData(64, 64, 64, ImageFitMode.Exact, 0, 0, 64, 64)]
    public void Fit_geometry_is_computed_as_documented(int width, int height, int size, ImageFitMode mode, int x, int y, int w, int h)
    {
        var fit = ImageFit.Compute(new Size(width, height), size, mode);

        Assert.Equal(new Rectangle(x, y, w, h), fit.Placement);
        Assert.Equal(size, fit.Resolution);
    }

    [Fact]
    public void A_geometry_with_an_empty_size_cannot_be_made()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ImageFit(new Size(0, 5), 8, ImageFitMode.Stretch, new Rectangle(0, 0, 8, 8)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ImageFit(new Size(5, 5), 0, ImageFitMode.Stretch, new Rectangle(0, 0, 8, 8)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ImageFit(new Size(5, 5), 8, ImageFitMode.Stretch, new Rectangle(0, 0, 0, 8)));
        Assert.Throws<ArgumentOutOfRangeException>(() => ImageFit.Compute(new Size(5, 0), 8, ImageFitMode.Pad));
    }

    [Fact]
    public void Load_reads_seekable_and_forward_only_streams()
    {
        using var image = Noise(12, 12);
        using var buffer = new MemoryStream();
        image.SaveAsPng(buffer);
        buffer.Position = 0;
        using var forwardOnly = new ForwardOnlyStream(buffer.ToArray());

        using var fromSeekable = ImageTensor.Load(buffer, 12, ImageFitMode.Exact);
        using var fromForwardOnly = ImageTensor.Load(forwardOnly, 12, ImageFitMode.Exact);
        using var a = ImageTensor.ToImage(fromSeekable.Tensor);
        using var b = ImageTensor.ToImage(fromForwardOnly.Tensor);

        AssertSamePixels(image, a);
        AssertSamePixels(image, b);
    }

    [Fact]
    public void PasteBack_restores_the_visible_region_and_keeps_the_cropped_margins()
    {
        using var directory = Fixture.TempDirectory();
        using var photo = Create(80, 40, (x, y) => new Rgb24((byte)(x * 3), (byte)(y * 6), 100));
        var path = directory.File("gradient.png");
        photo.SaveAsPng(path);
        using var loaded = ImageTensor.Load(path, 40);
        using var original = ImageTensor.Decode(path, new ImageLoadOptions());

        using var pasted = ImageTensor.PasteBack(loaded.Tensor, original, loaded.Fit);

        Assert.Equal(new RectangleF(20, 0, 40, 40), loaded.Fit.SourceRectangle);
        Assert.Equal(photo[5, 5], pasted[5, 5]);     // left margin, cropped away: untouched
        Assert.Equal(photo[75, 30], pasted[75, 30]); // right margin
        for (var x = 22; x < 58; x++)
        {
            AssertClose(photo[x, 20], pasted[x, 20], tolerance: 2);
        }
    }

    [Fact]
    public void PasteBack_with_a_weight_takes_the_result_only_where_the_weight_is_one_and_keeps_full_resolution_elsewhere()
    {
        using var directory = Fixture.TempDirectory();
        // A fine checkerboard: detail a 20² canvas cannot hold, so any pixel taken from the result would lose it.
        using var photo = Create(80, 40, (x, y) => ((x + y) % 2 == 0) ? new Rgb24(250, 10, 10) : new Rgb24(10, 10, 250));
        var path = directory.File("checker.png");
        photo.SaveAsPng(path);
        using var loaded = ImageTensor.Load(path, 20);
        using var original = ImageTensor.Decode(path, new ImageLoadOptions());
        using var green = torch.tensor(new float[] { -1f, 1f, -1f }).view(1, 3, 1, 1).expand(1, 3, 20, 20).contiguous();
        using var weight = torch.zeros(1, 1, 20, 20);
        weight.narrow(3, 10, 10).fill_(1f);   // the canvas's right half: photo columns 40..59

        using var pasted = ImageTensor.PasteBack(green, original, loaded.Fit, weight);

        Assert.Equal(new RectangleF(20, 0, 40, 40), loaded.Fit.SourceRectangle);
        for (var y = 0; y < 40; y += 7)
        {
            Assert.Equal(photo[5, y], pasted[5, y]);    // cropped margin
            Assert.Equal(photo[25, y], pasted[25, y]);  // visible, weight 0: the photo's own pixels, checkerboard intact
            AssertClose(new Rgb24(0, 255, 0), pasted[50, y], tolerance: 2);  // weight 1: the result
        }

        using var wrongSize = torch.zeros(1, 1, 10, 10);
        var error = Assert.Throws<ArgumentException>(() => ImageTensor.PasteBack(green, original, loaded.Fit, wrongSize));
        Assert.Contains("[1, 1, 20, 20]", error.Message, StringComparison.Ordinal);
    }

    private static IImageEncoder LosslessEncoder(string format) => format switch
    {
        "png" => new PngEncoder(),
        "bmp" => new BmpEncoder { BitsPerPixel = BmpBitsPerPixel.Pixel24 },
        "tga" => new TgaEncoder { BitsPerPixel = TgaBitsPerPixel.Pixel24, Compression = TgaCompression.None },
        "tiff" => new TiffEncoder(),
        "webp" => new WebpEncoder { FileFormat = WebpFileFormatType.Lossless },
        "pbm" => new PbmEncoder { ColorType = PbmColorType.Rgb },
        _ => throw new ArgumentOutOfRangeException(nameof(format)),
    };

    private static void AssertClose(Rgb24 expected, float[] values, int size, int x, int y)
    {
        var (r, g, b) = Pixel(values, size, x, y);
        AssertClose(expected, new Rgb24((byte)MathF.Round(ToByteScale(r)), (byte)MathF.Round(ToByteScale(g)), (byte)MathF.Round(ToByteScale(b))));
    }

    private static void AssertClose(Rgb24 expected, Rgb24 actual, int tolerance = 16)
    {
        if (Math.Abs(expected.R - actual.R) > tolerance || Math.Abs(expected.G - actual.G) > tolerance ||
            Math.Abs(expected.B - actual.B) > tolerance)
        {
            Assert.Fail($"Expected about {expected}, got {actual}.");
        }
    }

    /// <summary>A stream that can only be read forwards, as network and pipe streams.</summary>
    private sealed class ForwardOnlyStream(byte[] data) : Stream
    {
        private readonly MemoryStream _inner = new(data);

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, count);

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _inner.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
