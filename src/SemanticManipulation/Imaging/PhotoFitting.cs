using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;
using SixLabors.ImageSharp.Processing.Processors.Transforms;

namespace SemanticManipulation.Imaging;

/// <summary>Renders an upright RGB photo onto the S×S canvas described by an <see cref="ImageFit"/>.</summary>
internal static class PhotoFitting
{
    /// <summary>Returns a new S×S image: the photo scaled to <see cref="ImageFit.Placement"/>, letterbox in
    /// <paramref name="background"/>.</summary>
    public static Image<Rgb24> Apply(Image<Rgb24> photo, ImageFit fit, IResampler resampler, Rgb24 background)
    {
        var canvas = new Rectangle(0, 0, fit.Resolution, fit.Resolution);
        var placement = fit.Placement;

        if (placement.Size == photo.Size())
        {
            // Same scale: a pure crop or pad, copied so that not even a resampler's rounding touches the pixels.
            return Composite(photo, placement.Location, fit.Resolution, background);
        }

        if (placement.Contains(canvas))
        {
            // Resizing straight into the canvas computes only the visible part; scaling the whole photo first would
            // allocate S × S·aspect pixels, gigabytes for an extreme panorama.
            return photo.Clone(x => x.Resize(fit.Resolution, fit.Resolution, resampler, placement, compand: false));
        }

        using var scaled = photo.Clone(x => x.Resize(placement.Width, placement.Height, resampler));
        return Composite(scaled, placement.Location, fit.Resolution, background);
    }

    /// <summary>Copies <paramref name="source"/> onto a new S×S canvas of <paramref name="background"/> at
    /// <paramref name="offset"/>, clipping whatever falls outside.</summary>
    private static Image<Rgb24> Composite(Image<Rgb24> source, Point offset, int resolution, Rgb24 background)
    {
        var result = new Image<Rgb24>(resolution, resolution, background);
        try
        {
            var visible = Rectangle.Intersect(new Rectangle(offset, source.Size()), new Rectangle(0, 0, resolution, resolution));
            if (visible.IsEmpty)
            {
                return result;
            }

            source.ProcessPixelRows(result, (from, to) =>
            {
                for (var y = visible.Top; y < visible.Bottom; y++)
                {
                    from.GetRowSpan(y - offset.Y).Slice(visible.X - offset.X, visible.Width)
                        .CopyTo(to.GetRowSpan(y).Slice(visible.X, visible.Width));
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
}
