using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using Xunit;
using static TorchSharp.torch;

namespace SemanticManipulation.Tests.Imaging;

/// <summary>Small helpers the imaging tests share: building images and reading tensors back.</summary>
internal static class ImagingTestData
{
    /// <summary>An image whose pixel (x, y) is <paramref name="colour"/>(x, y).</summary>
    public static Image<TPixel> Create<TPixel>(int width, int height, Func<int, int, TPixel> colour)
        where TPixel : unmanaged, IPixel<TPixel>
    {
        var image = new Image<TPixel>(width, height);
        image.ProcessPixelRows(pixels =>
        {
            for (var y = 0; y < pixels.Height; y++)
            {
                var row = pixels.GetRowSpan(y);
                for (var x = 0; x < row.Length; x++)
                {
                    row[x] = colour(x, y);
                }
            }
        });
        return image;
    }

    /// <summary>A deterministic, fairly busy RGB image (every byte value occurs in each channel for 256 pixels).</summary>
    public static Image<Rgb24> Noise(int width, int height) =>
        Create(width, height, (x, y) =>
        {
            var i = (y * width) + x;
            return new Rgb24((byte)i, (byte)((i * 7) + 3), (byte)((i * 31) + (y * 5)));
        });

    /// <summary>The tensor's values as a flat float32 array (row-major over its shape).</summary>
    public static float[] Values(Tensor tensor)
    {
        using var cpu = tensor.to(ScalarType.Float32, CPU).contiguous();
        return cpu.data<float>().ToArray();
    }

    /// <summary>The RGB value in [-1, 1] of canvas pixel (x, y) of an image tensor [1, 3, S, S].</summary>
    public static (float R, float G, float B) Pixel(float[] values, int size, int x, int y)
    {
        var plane = size * size;
        var i = (y * size) + x;
        return (values[i], values[plane + i], values[(2 * plane) + i]);
    }

    /// <summary>Maps a [-1, 1] tensor value back to a byte-scale float for readable tolerances.</summary>
    public static float ToByteScale(float value) => (value + 1f) / 2f * 255f;

    /// <summary>Asserts that every pixel of two images is equal, naming the first difference.</summary>
    public static void AssertSamePixels(Image<Rgb24> expected, Image<Rgb24> actual)
    {
        Assert.Equal(expected.Size(), actual.Size());
        for (var y = 0; y < expected.Height; y++)
        {
            for (var x = 0; x < expected.Width; x++)
            {
                if (!expected[x, y].Equals(actual[x, y]))
                {
                    Assert.Fail($"Pixel ({x}, {y}) differs: expected {expected[x, y]}, got {actual[x, y]}.");
                }
            }
        }
    }

    /// <summary>
    /// A PNG file of just a signature and an IHDR chunk claiming the given size: enough for the header to be identified,
    /// far too little to decode, so size checks must happen before decoding.
    /// </summary>
    public static byte[] PngHeaderOnly(int width, int height)
    {
        var chunk = new List<byte>();
        chunk.AddRange("IHDR"u8.ToArray());
        chunk.AddRange(BigEndian(width));
        chunk.AddRange(BigEndian(height));
        chunk.AddRange(new byte[] { 8, 2, 0, 0, 0 }); // 8-bit RGB, deflate, no filter, no interlace.
        var data = chunk.ToArray();

        var file = new List<byte> { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A };
        file.AddRange(BigEndian(13));
        file.AddRange(data);
        file.AddRange(BigEndian(unchecked((int)Crc32(data))));
        return file.ToArray();
    }

    private static byte[] BigEndian(int value) =>
        [(byte)(value >> 24), (byte)(value >> 16), (byte)(value >> 8), (byte)value];

    private static uint Crc32(byte[] data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
            }
        }

        return ~crc;
    }
}
