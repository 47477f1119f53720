using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace SemanticManipulation.Studio.Tests;

/// <summary>Decoded PNGs for comparing what the studio sent.</summary>
internal static class Pixels
{
    public static Image<Rgb24> Decode(byte[] png) => Image.Load<Rgb24>(png);

    /// <summary>Per pixel, the mean absolute difference of the channels (0–255).</summary>
    public static double[,] Difference(byte[] a, byte[] b)
    {
        using var first = Decode(a);
        using var second = Decode(b);
        Assert.Equal((first.Width, first.Height), (second.Width, second.Height));
        var difference = new double[first.Height, first.Width];
        for (var y = 0; y < first.Height; y++)
        {
            for (var x = 0; x < first.Width; x++)
            {
                Rgb24 p = first[x, y], q = second[x, y];
                difference[y, x] = (Math.Abs(p.R - q.R) + Math.Abs(p.G - q.G) + Math.Abs(p.B - q.B)) / 3.0;
            }
        }

        return difference;
    }
}
