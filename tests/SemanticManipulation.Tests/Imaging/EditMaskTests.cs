using SemanticManipulation.Imaging;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;
using TorchSharp;
using Xunit;
using static SemanticManipulation.Tests.Imaging.ImagingTestData;

namespace SemanticManipulation.Tests.Imaging;

public class EditMaskTests
{
    private static readonly ImageFit Square8 = ImageFit.Compute(new Size(8, 8), 8, ImageFitMode.Exact);

    [Fact]
    public void An_image_with_transparency_is_read_as_its_alpha()
    {
        using var directory = Fixture.TempDirectory();
        // Strokes painted on a transparent layer; their colour (black or white) must not matter.
        using var layer = Create(8, 8, (x, y) => x < 4
            ? new Rgba32(255, 255, 255, y < 4 ? (byte)255 : (byte)128)
            : new Rgba32(0, 0, 0, 0));
        var path = directory.File("layer.png");
        layer.SaveAsPng(path);

        using var mask = EditMask.Load(path, Square8);
        var values = Values(mask);

        Assert.Equal([1L, 1, 8, 8], mask.shape);
        Assert.Equal(1f, values[(1 * 8) + 1]);
        Assert.Equal(128f / 255f, values[(6 * 8) + 1], 6);
        Assert.Equal(0f, values[(1 * 8) + 6]);
    }

    [Fact]
    public void An_opaque_image_is_read_as_dark_strokes_on_white()
    {
        using var directory = Fixture.TempDirectory();
        using var drawing = Create(8, 8, (x, y) => x < 4 ? new L8(0) : y < 4 ? new L8(255) : new L8(51));
        var path = directory.File("drawing.png");
        drawing.SaveAsPng(path, new PngEncoder { ColorType = PngColorType.Grayscale });
        using var opaqueRgba = Create(8, 8, (x, _) => x < 4 ? new Rgba32(0, 0, 0, 255) : new Rgba32(255, 255, 255, 255));
        var rgbaPath = directory.File("opaque.png");
        opaqueRgba.SaveAsPng(rgbaPath, new PngEncoder { ColorType = PngColorType.RgbWithAlpha });

        using var mask = EditMask.Load(path, Square8);
        using var fromRgba = EditMask.Load(rgbaPath, Square8);
        var values = Values(mask);
        var rgbaValues = Values(fromRgba);

        Assert.Equal(1f, values[0]);
        Assert.Equal(0f, values[6]);
        Assert.Equal(1f - (51f / 255f), values[(6 * 8) + 6], 6);
        Assert.Equal(1f, rgbaValues[0]);
        Assert.Equal(0f, rgbaValues[7]);
    }

    [Fact]
    public void A_mask_drawn_over_a_non_square_photo_is_fitted_exactly_like_the_photo()
    {
        // Photo 200×100, green in x ∈ [100, 150); the mask marks the same region. CenterCrop to 50 keeps photo
        // columns 50…150, so canvas columns 25…49 must be masked and green, columns 0…24 neither.
        using var directory = Fixture.TempDirectory();
        using var photo = Create(200, 100, (x, _) => x is >= 100 and < 150 ? new Rgb24(0, 255, 0) : new Rgb24(0, 0, 255));
        using var drawing = Create(200, 100, (x, _) => x is >= 100 and < 150 ? new Rgb24(0, 0, 0) : new Rgb24(255, 255, 255));
        var photoPath = directory.File("photo.png");
        var maskPath = directory.File("mask.png");
        photo.SaveAsPng(photoPath);
        drawing.SaveAsPng(maskPath);

        using var loaded = ImageTensor.Load(photoPath, 50);
        using var mask = EditMask.Load(maskPath, loaded.Fit);
        var pixels = Values(loaded.Tensor);
        var masked = Values(mask);

        for (var y = 0; y < 50; y++)
        {
            for (var x = 0; x < 50; x++)
            {
                var expected = x >= 25 ? 1f : 0f;
                Assert.Equal(expected, masked[(y * 50) + x], 5);
                if (x is not (23 or 24 or 25 or 26))
                {
                    var green = ToByteScale(Pixel(pixels, 50, x, y).G) > 128;
                    Assert.Equal(expected == 1f, green);
                }
            }
        }
    }

    [Fact]
    public void A_mask_drawn_over_a_preview_of_the_photo_gives_the_same_result()
    {
        using var full = Create(200, 100, (x, y) => x is >= 100 and < 150 && y >= 20 ? new L8(0) : new L8(255));
        using var preview = Create(100, 50, (x, y) => x is >= 50 and < 75 && y >= 10 ? new L8(0) : new L8(255));
        var fit = ImageFit.Compute(new Size(200, 100), 50, ImageFitMode.CenterCrop);

        using var fromFull = EditMask.FromImage(full.CloneAs<Rgba32>(), fit);
        using var fromPreview = EditMask.FromImage(preview.CloneAs<Rgba32>(), fit);

        Assert.Equal(Values(fromFull), Values(fromPreview));
    }

    [Fact]
    public void A_mask_at_the_model_resolution_is_used_as_drawn()
    {
        using var drawing = Create(50, 50, (x, y) => x == 3 && y == 7 ? new Rgba32(0, 0, 0, 255) : new Rgba32(255, 255, 255, 255));
        var fit = ImageFit.Compute(new Size(200, 100), 50, ImageFitMode.CenterCrop);

        using var mask = EditMask.FromImage(drawing, fit);
        var values = Values(mask);

        Assert.Equal(1f, values[(7 * 50) + 3]);
        Assert.Equal(1f, values.Sum());
    }

    [Fact]
    public void Letterbox_is_never_masked_with_Pad()
    {
        using var everything = Create(200, 100, (_, _) => new Rgba32(0, 0, 0, 255));
        var fit = ImageFit.Compute(new Size(200, 100), 50, ImageFitMode.Pad);

        using var mask = EditMask.FromImage(everything, fit);
        var values = Values(mask);

        Assert.Equal(0f, values[(5 * 50) + 25]);
        Assert.Equal(1f, values[(25 * 50) + 25]);
        Assert.Equal(0f, values[(45 * 50) + 25]);
        Assert.Equal(50 * 25, values.Sum(), 3);
    }

    [Fact]
    public void Area_resampling_averages_and_threshold_binarizes()
    {
        // A 2-pixel-wide stroke shrunk by 4 covers half of one model pixel.
        using var drawing = Create(16, 16, (x, _) => x is 4 or 5 ? new L8(0) : new L8(255));
        var fit = ImageFit.Compute(new Size(16, 16), 4, ImageFitMode.Stretch);

        using var soft = EditMask.FromImage(drawing.CloneAs<Rgba32>(), fit);
        using var hard = EditMask.FromImage(drawing.CloneAs<Rgba32>(), fit, new EditMaskOptions { Threshold = 0.5f });
        using var nearest = EditMask.FromImage(drawing.CloneAs<Rgba32>(), fit, new EditMaskOptions { Resampling = MaskResampling.Nearest });

        Assert.Equal([0f, 0.5f, 0f, 0f], Values(soft)[..4]);
        Assert.Equal([0f, 1f, 0f, 0f], Values(hard)[..4]);
        Assert.Equal(0f, Values(nearest).Sum()); // centres at 2, 6, 10, 14 miss the stroke
        Assert.All(Values(soft), v => Assert.InRange(v, 0f, 1f));
    }

    [Fact]
    public void A_mask_of_another_aspect_ratio_is_refused_naming_the_sizes()
    {
        using var directory = Fixture.TempDirectory();
        using var drawing = new Image<Rgba32>(100, 100);
        var path = directory.File("square.png");
        drawing.SaveAsPng(path);
        var fit = ImageFit.Compute(new Size(200, 100), 50, ImageFitMode.CenterCrop);

        var ex = Assert.Throws<UnsupportedImageException>(() => EditMask.Load(path, fit));

        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
        Assert.Contains("100×100", ex.Message, StringComparison.Ordinal);
        Assert.Contains("200×100", ex.Message, StringComparison.Ordinal);
        Assert.Contains("50×50", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_mask_file_names_the_path()
    {
        using var directory = Fixture.TempDirectory();
        var path = directory.File("absent.png");

        var ex = Assert.Throws<FileNotFoundException>(() => EditMask.Load(path, Square8));

        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromTensor_accepts_HW_and_NCHW_floating_and_boolean_masks()
    {
        using var plain = torch.full([6, 6], 0.25f);
        using var boolean = torch.ones([1, 1, 6, 6], torch.ScalarType.Bool);

        using var a = EditMask.FromTensor(plain, 6);
        using var b = EditMask.FromTensor(boolean);

        Assert.Equal([1L, 1, 6, 6], a.shape);
        Assert.Equal(torch.ScalarType.Float32, a.dtype);
        Assert.Equal(0.25f, Values(a)[35]);
        Assert.Equal(36f, Values(b).Sum());
    }

    [Fact]
    public void FromTensor_rejects_bad_masks_saying_why()
    {
        using var wrongShape = torch.zeros([1, 3, 6, 6]);
        using var outOfRange = torch.linspace(-0.5, 2, 36).reshape(6, 6);
        using var nan = torch.full([6, 6], float.NaN);
        using var integers = torch.zeros([6, 6], torch.ScalarType.Int64);
        using var fine = torch.zeros([6, 6]);

        var shape = Assert.Throws<ArgumentException>(() => EditMask.FromTensor(wrongShape));
        var range = Assert.Throws<ArgumentException>(() => EditMask.FromTensor(outOfRange));
        var notANumber = Assert.Throws<ArgumentException>(() => EditMask.FromTensor(nan));
        var type = Assert.Throws<ArgumentException>(() => EditMask.FromTensor(integers));
        var size = Assert.Throws<ArgumentException>(() => EditMask.FromTensor(fine, 8));

        Assert.Contains("[1, 1, H, W] or [H, W]", shape.Message, StringComparison.Ordinal);
        Assert.Contains("[1, 3, 6, 6]", shape.Message, StringComparison.Ordinal);
        Assert.Contains("[0, 1]", range.Message, StringComparison.Ordinal);
        Assert.Contains("-0.5", range.Message, StringComparison.Ordinal);
        Assert.Contains("NaN", notANumber.Message, StringComparison.Ordinal);
        Assert.Contains("Int64", type.Message, StringComparison.Ordinal);
        Assert.Contains("8×8", size.Message, StringComparison.Ordinal);
        Assert.Contains("6×6", size.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rectangle_is_clipped_to_the_canvas()
    {
        using var inside = EditMask.Rectangle(16, 2, 3, 4, 5);
        using var clipped = EditMask.Rectangle(16, 14, -2, 10, 4);
        var values = Values(inside);

        Assert.Equal([1L, 1, 16, 16], inside.shape);
        Assert.Equal(20f, values.Sum());
        Assert.Equal(1f, values[(3 * 16) + 2]);
        Assert.Equal(1f, values[(7 * 16) + 5]);
        Assert.Equal(0f, values[(8 * 16) + 5]);
        Assert.Equal(4f, Values(clipped).Sum()); // columns 14–15, rows 0–1
    }

    [Fact]
    public void Circle_marks_pixels_within_the_radius()
    {
        using var dot = EditMask.Circle(16, 5, 5, 0);
        using var disc = EditMask.Circle(16, 5, 5, 2);
        using var edge = EditMask.Circle(16, 0, 0, 1);

        Assert.Equal(1f, Values(dot).Sum());
        Assert.Equal(1f, Values(dot)[(5 * 16) + 5]);
        Assert.Equal(13f, Values(disc).Sum()); // |dx|+… : 1 + 4 (distance 1) + 4 (√2) + 4 (distance 2)
        Assert.Equal(3f, Values(edge).Sum());
        Assert.Throws<ArgumentOutOfRangeException>(() => EditMask.Circle(16, 5, 5, -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => EditMask.Rectangle(0, 0, 0, 1, 1));
    }
}
