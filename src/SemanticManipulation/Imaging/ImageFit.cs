using SixLabors.ImageSharp;

namespace SemanticManipulation.Imaging;

/// <summary>
/// The geometry that maps a photo (after EXIF orientation) onto the model's S×S canvas: the photo, scaled to
/// <see cref="Placement"/>'s size, is placed at <see cref="Placement"/>'s position, and whatever falls outside the canvas
/// is cut off. The same geometry fits a mask to the photo and maps an edited result back onto the photo.
/// </summary>
/// <param name="OriginalSize">Width and height of the photo after EXIF orientation, in pixels.</param>
/// <param name="Resolution">Side S of the square canvas, in pixels.</param>
/// <param name="Mode">The fit that produced this geometry.</param>
/// <param name="Placement">Where the whole scaled photo lies in canvas pixels. It extends past the canvas for
/// <see cref="ImageFitMode.CenterCrop"/> (negative offset) and lies inside it for <see cref="ImageFitMode.Pad"/>.</param>
/// <remarks>Usually made by <see cref="Compute(Size, int, ImageFitMode)"/>; the constructor is public so that hosts can
/// store a geometry with a job and recreate it, and it refuses sizes that would make the mapping meaningless.</remarks>
/// <exception cref="ArgumentOutOfRangeException">A size or the resolution is not positive.</exception>
public sealed record ImageFit(Size OriginalSize, int Resolution, ImageFitMode Mode, Rectangle Placement)
{
    /// <summary>Width and height of the photo after EXIF orientation, in pixels.</summary>
    public Size OriginalSize { get; init; } = OriginalSize.Width > 0 && OriginalSize.Height > 0
        ? OriginalSize
        : throw new ArgumentOutOfRangeException(nameof(OriginalSize), OriginalSize, "The photo size must be positive in both dimensions.");

    /// <summary>Side S of the square canvas, in pixels.</summary>
    public int Resolution { get; init; } = Resolution > 0
        ? Resolution
        : throw new ArgumentOutOfRangeException(nameof(Resolution), Resolution, "The canvas resolution must be positive.");

    /// <summary>Where the whole scaled photo lies in canvas pixels.</summary>
    public Rectangle Placement { get; init; } = Placement.Width > 0 && Placement.Height > 0
        ? Placement
        : throw new ArgumentOutOfRangeException(nameof(Placement), Placement, "The scaled photo must be positive in both dimensions.");

    /// <summary>The part of the canvas covered by the photo; outside it is letterbox (only with
    /// <see cref="ImageFitMode.Pad"/>).</summary>
    public Rectangle ContentRectangle => Rectangle.Intersect(Placement, new Rectangle(0, 0, Resolution, Resolution));

    /// <summary>The part of the photo that is visible on the canvas, in the photo's own pixel coordinates (smaller than
    /// the photo only with <see cref="ImageFitMode.CenterCrop"/>).</summary>
    public RectangleF SourceRectangle
    {
        get
        {
            var content = ContentRectangle;
            var scaleX = (float)OriginalSize.Width / Placement.Width;
            var scaleY = (float)OriginalSize.Height / Placement.Height;
            return new RectangleF(
                (content.X - Placement.X) * scaleX,
                (content.Y - Placement.Y) * scaleY,
                content.Width * scaleX,
                content.Height * scaleY);
        }
    }

    /// <summary>Computes the geometry that fits a photo of <paramref name="originalSize"/> to an S×S canvas.</summary>
    /// <param name="originalSize">The photo's size after EXIF orientation.</param>
    /// <param name="resolution">The canvas side S.</param>
    /// <param name="mode">How to fit.</param>
    /// <returns>The geometry.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="resolution"/> is not positive, or
    /// <paramref name="originalSize"/> is empty.</exception>
    /// <exception cref="UnsupportedImageException"><paramref name="mode"/> is <see cref="ImageFitMode.Exact"/> and the
    /// photo is not S×S.</exception>
    public static ImageFit Compute(Size originalSize, int resolution, ImageFitMode mode) =>
        Compute(originalSize, resolution, mode, description: null, source: null);

    /// <summary>As the public overload; <paramref name="description"/> names the image in the error message and
    /// <paramref name="source"/> is reported as <see cref="UnsupportedImageException.ImageSource"/>.</summary>
    internal static ImageFit Compute(Size originalSize, int resolution, ImageFitMode mode, string? description, string? source)
    {
        ImageTensor.ThrowIfInvalidResolution(resolution);
        if (originalSize.Width <= 0 || originalSize.Height <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(originalSize), originalSize,
                $"The photo size {originalSize.Width}×{originalSize.Height} is empty; both sides must be positive.");
        }

        int width = originalSize.Width, height = originalSize.Height;
        Rectangle placement;
        switch (mode)
        {
            case ImageFitMode.CenterCrop:
            {
                // torchvision's Resize(S) truncates the longer side and CenterCrop rounds the offset half-to-even;
                // mirroring both keeps crops identical to a Python reference pipeline.
                var (w, h) = width <= height
                    ? (resolution, (int)((long)resolution * height / width))
                    : ((int)((long)resolution * width / height), resolution);
                placement = new Rectangle(
                    -(int)Math.Round((w - resolution) / 2.0, MidpointRounding.ToEven),
                    -(int)Math.Round((h - resolution) / 2.0, MidpointRounding.ToEven),
                    w,
                    h);
                break;
            }

            case ImageFitMode.Pad:
            {
                var (w, h) = width >= height
                    ? (resolution, ScaledShortSide(resolution, height, width))
                    : (ScaledShortSide(resolution, width, height), resolution);
                placement = new Rectangle((resolution - w) / 2, (resolution - h) / 2, w, h);
                break;
            }

            case ImageFitMode.Stretch:
                placement = new Rectangle(0, 0, resolution, resolution);
                break;

            case ImageFitMode.Exact:
                if (width != resolution || height != resolution)
                {
                    throw new UnsupportedImageException(source ?? description,
                        $"The image {(description is null ? string.Empty : description + " ")}is {width}×{height} pixels but the Exact fit requires exactly {resolution}×{resolution}; " +
                        "resize it first or choose the CenterCrop, Pad or Stretch fit.");
                }

                placement = new Rectangle(0, 0, resolution, resolution);
                break;

            default:
                throw new ArgumentOutOfRangeException(nameof(mode), mode, $"Unknown image fit mode {mode}.");
        }

        return new ImageFit(originalSize, resolution, mode, placement);
    }

    // At least one pixel, so that an extreme panorama still shows up as a line rather than vanishing.
    private static int ScaledShortSide(int resolution, int shortSide, int longSide) =>
        Math.Max(1, (int)Math.Round((double)resolution * shortSide / longSide, MidpointRounding.AwayFromZero));
}
