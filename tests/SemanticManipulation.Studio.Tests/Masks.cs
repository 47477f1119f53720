namespace SemanticManipulation.Studio.Tests;

/// <summary>Painted masks as the page sends them: base64 of S·S bytes, 255 inside.</summary>
internal static class Masks
{
    /// <summary>The rectangle [x0, x1) × [y0, y1) painted on an S×S canvas.</summary>
    public static byte[] Rectangle(int x0, int y0, int x1, int y1, int size)
    {
        var mask = new byte[size * size];
        for (var y = y0; y < y1; y++)
        {
            for (var x = x0; x < x1; x++)
            {
                mask[(y * size) + x] = 255;
            }
        }

        return mask;
    }

    /// <summary>The rectangle [x0, x1) × [y0, y1) of the 64×64 drawing canvas (<see cref="Pixels.DrawingResolution"/>),
    /// painted over the same part of an S×S canvas.</summary>
    public static byte[] ScaledRectangle(int x0, int y0, int x1, int y1, int size) =>
        Rectangle(Pixels.Scaled(x0, size), Pixels.Scaled(y0, size), Pixels.Scaled(x1, size), Pixels.Scaled(y1, size), size);

    public static string Encode(byte[] mask) => Convert.ToBase64String(mask);

    /// <summary>The distance in pixels from (x, y) to the nearest painted pixel of <paramref name="mask"/>, an S×S one.</summary>
    public static double DistanceTo(byte[] mask, int x, int y, int size)
    {
        var best = double.MaxValue;
        for (var p = 0; p < mask.Length; p++)
        {
            if (mask[p] > 0)
            {
                best = Math.Min(best, Math.Sqrt(Math.Pow((p % size) - x, 2) + Math.Pow((p / size) - y, 2)));
            }
        }

        return best;
    }
}
