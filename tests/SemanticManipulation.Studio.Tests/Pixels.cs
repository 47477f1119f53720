using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace SemanticManipulation.Studio.Tests;

/// <summary>Decoded PNGs and the geometry of painted strokes, for comparing what the studio sent and the page shows.</summary>
internal static class Pixels
{
    /// <summary>The side of the canvas the tests' strokes and probes are written for: their coordinates and lengths are
    /// pixels of a 64×64 canvas, scaled to the model's side by <see cref="Scaled(int, int)"/>, so that they keep their place
    /// and size as fractions of the picture at any resolution.</summary>
    public const int DrawingResolution = 64;

    /// <summary>A coordinate or length of the 64×64 drawing canvas, in pixels of an S×S one.</summary>
    public static int Scaled(int pixels, int resolution) => pixels * resolution / DrawingResolution;

    /// <inheritdoc cref="Scaled(int, int)"/>
    public static double Scaled(double pixels, int resolution) => pixels * resolution / DrawingResolution;

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

    /// <summary>The mean absolute difference (0–255) of two images, <paramref name="b"/> resized to
    /// <paramref name="a"/>'s size first.</summary>
    public static double MeanDifference(byte[] a, byte[] b)
    {
        using var first = Decode(a);
        using var second = Decode(b);
        second.Mutate(image => image.Resize(first.Width, first.Height));
        double total = 0;
        for (var y = 0; y < first.Height; y++)
        {
            for (var x = 0; x < first.Width; x++)
            {
                Rgb24 p = first[x, y], q = second[x, y];
                total += (Math.Abs(p.R - q.R) + Math.Abs(p.G - q.G) + Math.Abs(p.B - q.B)) / 3.0;
            }
        }

        return total / (first.Width * first.Height);
    }

    /// <summary>The distance from the centre of pixel (x, y) to the polyline through <paramref name="points"/>.</summary>
    public static double DistanceToPath(IReadOnlyList<(double X, double Y)> points, int x, int y)
    {
        double cx = x + 0.5, cy = y + 0.5, best = double.MaxValue;
        for (var i = 0; i + 1 < points.Count; i++)
        {
            var (ax, ay) = points[i];
            var (bx, by) = points[i + 1];
            double dx = bx - ax, dy = by - ay, length = (dx * dx) + (dy * dy);
            var t = length == 0 ? 0 : Math.Clamp((((cx - ax) * dx) + ((cy - ay) * dy)) / length, 0, 1);
            best = Math.Min(best, Math.Sqrt(Math.Pow(cx - (ax + (t * dx)), 2) + Math.Pow(cy - (ay + (t * dy)), 2)));
        }

        return best;
    }
}
