using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace SemanticManipulation.Imaging;

/// <summary>Flattens RGBA images onto an opaque background, because the models have no notion of transparency.</summary>
internal static class AlphaCompositing
{
    /// <summary>
    /// Returns an RGB copy of <paramref name="image"/> with every pixel composited over <paramref name="background"/>
    /// ("over" on straight alpha, rounded to nearest). Opaque pixels are copied exactly.
    /// </summary>
    public static Image<Rgb24> Flatten(Image<Rgba32> image, Rgb24 background)
    {
        var result = new Image<Rgb24>(image.Width, image.Height);
        try
        {
            image.ProcessPixelRows(result, (source, target) =>
            {
                for (var y = 0; y < source.Height; y++)
                {
                    var from = source.GetRowSpan(y);
                    var to = target.GetRowSpan(y);
                    for (var x = 0; x < from.Length; x++)
                    {
                        var p = from[x];
                        to[x] = p.A == 255
                            ? new Rgb24(p.R, p.G, p.B)
                            : new Rgb24(Over(p.R, background.R, p.A), Over(p.G, background.G, p.A), Over(p.B, background.B, p.A));
                    }
                }
            });
            return result;
        }
        catch
        {
            result.Dispose();
            throw;
        }
    }

    // (c·a + b·(255 − a)) / 255 with round-half-up, in integers so that no float error can shift a value.
    private static byte Over(byte colour, byte background, byte alpha) =>
        (byte)(((colour * alpha) + (background * (255 - alpha)) + 127) / 255);
}
