using SemanticManipulation.Imaging;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using TorchSharp;
using Xunit;
using static SemanticManipulation.Tests.Imaging.ImagingTestData;

namespace SemanticManipulation.Tests.Imaging;

public class ImageTensorConversionTests
{
    [Fact]
    public void FromImage_then_ToImage_round_trips_every_byte_value_exactly()
    {
        using var image = Noise(64, 32);
        using var tensor = ImageTensor.FromImage(image);
        using var back = ImageTensor.ToImage(tensor);

        AssertSamePixels(image, back);
    }

    [Fact]
    public void FromImage_produces_float32_NCHW_RGB_in_minus_one_to_one()
    {
        using var image = Create(3, 2, (x, y) => (x, y) switch
        {
            (0, 0) => new Rgb24(0, 255, 128),
            (2, 1) => new Rgb24(10, 20, 30),
            _ => new Rgb24(255, 255, 255),
        });

        using var tensor = ImageTensor.FromImage(image);
        var values = Values(tensor);

        Assert.Equal([1L, 3, 2, 3], tensor.shape);
        Assert.Equal(torch.ScalarType.Float32, tensor.dtype);
        Assert.Equal(-1f, values[0]);                         // R of (0, 0)
        Assert.Equal(1f, values[6]);                          // G of (0, 0)
        Assert.Equal((128f / 255f * 2f) - 1f, values[12], 6); // B of (0, 0)
        const int last = (1 * 3) + 2;                         // (x = 2, y = 1) in a 3-wide plane of 6
        Assert.Equal((10f / 255f * 2f) - 1f, values[last], 6);
        Assert.Equal((20f / 255f * 2f) - 1f, values[6 + last], 6);
        Assert.Equal((30f / 255f * 2f) - 1f, values[12 + last], 6);
        Assert.All(values, v => Assert.InRange(v, -1f, 1f));
    }

    [Fact]
    public void ToImage_rounds_half_up_like_floor_of_value_plus_half_and_clamps()
    {
        // 0 maps to exactly 127.5 and must become 128; a float whose image is exactly 100.5 must become 101, which
        // banker's rounding (Math.Round's default) would turn into 100.
        var exactlyHundredAndAHalf = FindInputMappingTo(100.5f);
        float[] inputs = [0f, exactlyHundredAndAHalf, -1f, 1f, -3f, 7f, 0.999f];
        using var tensor = torch.tensor([.. inputs, .. inputs, .. inputs], [3, 1, inputs.Length]);

        using var image = ImageTensor.ToImage(tensor);

        byte[] expected = [128, 101, 0, 255, 0, 255, 255];
        for (var x = 0; x < inputs.Length; x++)
        {
            Assert.Equal(new Rgb24(expected[x], expected[x], expected[x]), image[x, 0]);
        }
    }

    [Fact]
    public void ToImage_accepts_a_batch_of_one_and_float64()
    {
        using var tensor = torch.zeros([1, 3, 4, 5], torch.ScalarType.Float64);
        using var image = ImageTensor.ToImage(tensor);

        Assert.Equal(5, image.Width);
        Assert.Equal(4, image.Height);
        Assert.Equal(new Rgb24(128, 128, 128), image[4, 3]);
    }

    [Theory]
    [InlineData(new long[] { 2, 3, 4, 4 }, "[2, 3, 4, 4]")]
    [InlineData(new long[] { 1, 4, 4, 4 }, "[1, 4, 4, 4]")]
    [InlineData(new long[] { 4, 4 }, "[4, 4]")]
    public void ToImage_rejects_a_wrong_shape_naming_it(long[] shape, string named)
    {
        using var tensor = torch.zeros(shape);

        var ex = Assert.Throws<ArgumentException>(() => ImageTensor.ToImage(tensor));

        Assert.Contains("[1, 3, H, W]", ex.Message, StringComparison.Ordinal);
        Assert.Contains(named, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ToImage_rejects_NaN_and_integer_tensors()
    {
        using var nan = torch.zeros([1, 3, 2, 2]);
        nan[0, 1, 1, 0] = torch.tensor(float.NaN);
        using var integers = torch.zeros([1, 3, 2, 2], torch.ScalarType.Int32);

        var nanError = Assert.Throws<ArgumentException>(() => ImageTensor.ToImage(nan));
        var typeError = Assert.Throws<ArgumentException>(() => ImageTensor.ToImage(integers));

        Assert.Contains("NaN", nanError.Message, StringComparison.Ordinal);
        Assert.Contains("channel 1, row 1, column 0", nanError.Message, StringComparison.Ordinal);
        Assert.Contains("floating-point", typeError.Message, StringComparison.Ordinal);
    }

    private static float FindInputMappingTo(float target)
    {
        // Search the floats around the real-valued solution for one whose float32 image is exactly the target.
        var x = (target / 127.5f) - 1f;
        for (var step = 0; step < 64; step++)
        {
            x = MathF.BitDecrement(x);
        }

        for (var step = 0; step < 128; step++, x = MathF.BitIncrement(x))
        {
            if ((x + 1f) / 2f * 255f == target)
            {
                return x;
            }
        }

        throw new InvalidOperationException($"No float maps exactly to {target}.");
    }
}
